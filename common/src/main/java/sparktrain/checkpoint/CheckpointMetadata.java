package sparktrain.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the caller knows about a checkpoint or model besides the network itself; it goes into {@code
 * manifest.json}.
 *
 * @param epoch number of completed epochs (0-based epoch counter of the checkpoint name)
 * @param iteration the network's iteration count
 * @param runId the id of the training run
 * @param parent name of the checkpoint this one continues from, or null
 * @param metrics metric name to value (NaN and infinities allowed)
 * @param resolvedConfig the fully resolved run configuration (HOCON/JSON text)
 * @param provenance caller-supplied extras: data fingerprints, versions, git commit, seed...;
 *     values must be JSON-serialisable by Jackson (strings, numbers, booleans, lists, maps)
 */
public record CheckpointMetadata(
    int epoch,
    long iteration,
    String runId,
    String parent,
    Map<String, Double> metrics,
    String resolvedConfig,
    Map<String, Object> provenance) {

  /** Validates and makes defensive, order-preserving, unmodifiable copies of the maps. */
  public CheckpointMetadata {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    Objects.requireNonNull(runId, "runId");
    metrics = copy(metrics);
    resolvedConfig = resolvedConfig == null ? "" : resolvedConfig;
    provenance = copy(provenance);
  }

  private static <V> Map<String, V> copy(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
