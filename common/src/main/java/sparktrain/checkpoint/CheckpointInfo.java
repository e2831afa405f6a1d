package sparktrain.checkpoint;

/**
 * Where a checkpoint or model directory was published.
 *
 * @param name directory name, e.g. {@code epoch-0003} or {@code model}
 * @param uri fully qualified URI of the directory
 * @param epoch epoch recorded in its manifest
 * @param iteration iteration recorded in its manifest
 */
public record CheckpointInfo(String name, String uri, int epoch, long iteration) {}
