package sparktrain.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The content of {@code manifest.json} (format version {@value #FORMAT_VERSION}) in a checkpoint or
 * model directory. JSON names are snake_case; unknown JSON fields are ignored on read.
 *
 * @param formatVersion manifest format version
 * @param createdAt ISO-8601 instant the directory was written
 * @param runId id of the training run
 * @param parent name of the parent checkpoint, or null
 * @param epoch completed epochs
 * @param iteration network iteration count
 * @param metrics metric name to value
 * @param config resolved run configuration text
 * @param networkJson {@code MultiLayerConfiguration.toJson()} of the network
 * @param provenance caller-supplied extras (data fingerprints, git commit, ...)
 * @param versions java, dl4j and sparktrain versions of the writer
 * @param files every file of the directory except {@code manifest.json}, with hash and size
 */
public record CheckpointManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("run_id") String runId,
    @JsonProperty("parent") String parent,
    @JsonProperty("epoch") int epoch,
    @JsonProperty("iteration") long iteration,
    @JsonProperty("metrics") Map<String, Double> metrics,
    @JsonProperty("config") String config,
    @JsonProperty("network_json") String networkJson,
    @JsonProperty("provenance") Map<String, Object> provenance,
    @JsonProperty("versions") Map<String, String> versions,
    @JsonProperty("files") Map<String, FileEntry> files) {

  /** The manifest format this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** Name of the manifest file. */
  public static final String FILE_NAME = "manifest.json";

  /** Name of the serialized network (DL4J {@code ModelSerializer}, updater included). */
  public static final String MODEL_FILE = "model.zip";

  /** Null maps become empty ones. */
  public CheckpointManifest {
    metrics = metrics == null ? Map.of() : metrics;
    provenance = provenance == null ? Map.of() : provenance;
    versions = versions == null ? Map.of() : versions;
    files = files == null ? Map.of() : files;
  }

  /**
   * Hash and size of one file.
   *
   * @param sha256 lower-case hex SHA-256
   * @param bytes size in bytes
   */
  public record FileEntry(
      @JsonProperty("sha256") String sha256, @JsonProperty("bytes") long bytes) {}
}
