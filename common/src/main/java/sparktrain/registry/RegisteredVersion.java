package sparktrain.registry;

/**
 * A version just written to a registry.
 *
 * @param version version name, e.g. {@code v0003}
 * @param uri fully qualified URI of the version directory
 * @param champion whether the version is the champion after the call (only {@link
 *     ModelRegistry#registerAndPromoteIfNoChampion} promotes)
 */
public record RegisteredVersion(String version, String uri, boolean champion) {}
