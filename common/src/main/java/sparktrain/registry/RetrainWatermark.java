package sparktrain.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the last retrain consumed, so the next one trains only on data that arrived since: stored as
 * JSON in the registry's {@code WATERMARK} file.
 *
 * @param updatedAt ISO-8601 instant the watermark was written
 * @param version the registry version trained on these inputs, or null
 * @param inputs consumed input files or partitions, each a JSON-ready map such as {@code
 *     sparktrain.data.InputFingerprint} produces ({@code path}, {@code bytes}, {@code modified},
 *     ...)
 * @param maxPartition the newest consumed date partition (e.g. {@code dt=2026-11-24}), or null
 */
public record RetrainWatermark(
    @JsonProperty("updated_at") String updatedAt,
    @JsonProperty("version") String version,
    @JsonProperty("inputs") List<Map<String, Object>> inputs,
    @JsonProperty("max_partition") String maxPartition) {

  /** Null lists become empty ones. */
  public RetrainWatermark {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** A watermark stamped with the current time. */
  public static RetrainWatermark now(
      String version, List<Map<String, Object>> inputs, String maxPartition) {
    return new RetrainWatermark(Instant.now().toString(), version, inputs, maxPartition);
  }
}
