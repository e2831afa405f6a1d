package sparktrain.registry;

import java.util.Map;

/**
 * One version of a registry as {@link ModelRegistry#list()} reports it, read from its manifest
 * (hashes are not verified here; {@link ModelRegistry#load} and {@link ModelRegistry#promote} do).
 *
 * @param version version name, e.g. {@code v0003}
 * @param uri fully qualified URI of the version directory
 * @param createdAt ISO-8601 instant the version was written, or null if its manifest is unreadable
 * @param runId id of the run that trained it, or null
 * @param parent the version (or checkpoint) it continued from, or null
 * @param metrics metrics recorded at registration
 * @param champion whether {@code CHAMPION} names it
 * @param decision the decision recorded at registration (e.g. {@code {"decision": "promoted",
 *     "reason": ...}}), empty if none
 * @param problem why the manifest could not be read, or null
 */
public record VersionInfo(
    String version,
    String uri,
    String createdAt,
    String runId,
    String parent,
    Map<String, Double> metrics,
    boolean champion,
    Map<String, Object> decision,
    String problem) {

  /** Null maps become empty ones. */
  public VersionInfo {
    metrics = metrics == null ? Map.of() : metrics;
    decision = decision == null ? Map.of() : decision;
  }

  /** The {@code decision} value of the decision info (e.g. {@code promoted}), or null. */
  public String decisionValue() {
    return DecisionInfo.of(decision).map(DecisionInfo::decision).orElse(null);
  }
}
