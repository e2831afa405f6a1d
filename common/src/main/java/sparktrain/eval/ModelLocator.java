package sparktrain.eval;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.checkpoint.CheckpointManifest;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.errors.JobArgumentException;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegistryException;

/**
 * Resolves the {@code --model PATH} of {@code evaluate} and {@code predict} to a verified model
 * (every file checked against its manifest). PATH is one of:
 *
 * <ul>
 *   <li>a model or checkpoint directory (it holds {@code manifest.json}): a run's {@code model/},
 *       {@code RUN/checkpoints/epoch-0003}, a registry's {@code versions/v0003};
 *   <li>a run directory: its {@code model/};
 *   <li>a registry version {@code REG/NAME@v0003} (also {@code @v3}, {@code @3}) or {@code
 *       REG/NAME@champion}.
 * </ul>
 *
 * Any Hadoop file system; relative paths resolve against the working directory.
 */
public final class ModelLocator {
  /** The final model's sub-directory of a run directory. */
  public static final String RUN_MODEL_DIR = "model";

  /** The registry suffix naming the current champion. */
  public static final String CHAMPION = "champion";

  private static final Pattern REGISTRY_REF = Pattern.compile("(?i)champion|v?\\d{1,9}");

  private ModelLocator() {}

  /** What PATH named. */
  public enum Kind {
    /** A directory with {@code manifest.json} (a run's {@code model/}, a registry version dir). */
    MODEL_DIRECTORY,
    /** A checkpoint directory {@code epoch-NNNN}. */
    CHECKPOINT,
    /** A run directory, resolved to its {@code model/}. */
    RUN_DIRECTORY,
    /** {@code REG/NAME@vNNNN}. */
    REGISTRY_VERSION,
    /** {@code REG/NAME@champion}. */
    REGISTRY_CHAMPION
  }

  /**
   * A located model.
   *
   * @param requested PATH as given
   * @param kind what PATH named
   * @param uri qualified URI of the model directory that was loaded
   * @param checkpoint the verified model
   */
  public record Located(String requested, Kind kind, String uri, LoadedCheckpoint checkpoint) {
    /** e.g. {@code run directory file:/work/runs/m1/model}. */
    public String describe() {
      return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + uri;
    }

    /**
     * What a job's output records about the model: {@code path} (as given), {@code kind}, {@code
     * resolved} (the directory loaded), {@code epoch} and {@code run_id}.
     */
    public java.util.Map<String, Object> provenance() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("path", requested);
      m.put("kind", kind.name().toLowerCase(Locale.ROOT));
      m.put("resolved", uri);
      m.put("epoch", checkpoint.epoch());
      m.put("run_id", checkpoint.runId());
      return m;
    }
  }

  /**
   * Loads the model PATH names, verifying its files.
   *
   * @throws JobArgumentException if PATH names nothing loadable (the message says what was found)
   * @throws RegistryException for an unknown registry, version or a registry without champion
   * @throws sparktrain.checkpoint.CheckpointCorruptException if a file fails verification
   */
  public static Located locate(String path, Configuration conf) throws IOException {
    if (path == null || path.isBlank()) {
      throw new JobArgumentException(
          "--model is empty; give a run directory, a model or"
              + " checkpoint directory, or REGISTRY/NAME@VERSION");
    }
    Optional<Located> registry = fromRegistry(path, conf);
    if (registry.isPresent()) {
      return registry.get();
    }
    Path raw = new Path(path);
    FileSystem fs = raw.getFileSystem(conf);
    Path dir = fs.makeQualified(raw);
    if (!fs.exists(dir)) {
      throw new JobArgumentException("--model " + path + ": " + dir + " does not exist");
    }
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new JobArgumentException(
          "--model "
              + path
              + ": "
              + dir
              + " is a file; give the directory that holds "
              + CheckpointManifest.FILE_NAME
              + " (or a run directory)");
    }
    if (fs.exists(new Path(dir, CheckpointManifest.FILE_NAME))) {
      Kind kind = dir.getName().matches("epoch-\\d{4,9}") ? Kind.CHECKPOINT : Kind.MODEL_DIRECTORY;
      return load(path, kind, dir, conf);
    }
    Path model = new Path(dir, RUN_MODEL_DIR);
    if (fs.exists(new Path(model, CheckpointManifest.FILE_NAME))) {
      return load(path, Kind.RUN_DIRECTORY, model, conf);
    }
    Path checkpoints = new Path(dir, CheckpointStore.CHECKPOINTS_DIR);
    if (fs.exists(checkpoints)) {
      throw new JobArgumentException(
          "--model "
              + path
              + ": run directory "
              + dir
              + " has no final model ("
              + RUN_MODEL_DIR
              + "/"
              + CheckpointManifest.FILE_NAME
              + " is missing: did the run finish?); give one of its checkpoints, e.g. "
              + checkpoints
              + "/epoch-0001");
    }
    throw new JobArgumentException(
        "--model "
            + path
            + ": "
            + dir
            + " is neither a model or checkpoint directory (no "
            + CheckpointManifest.FILE_NAME
            + ") nor a run directory (no "
            + RUN_MODEL_DIR
            + "/"
            + CheckpointManifest.FILE_NAME
            + "); a registry version is written REGISTRY/NAME@v0003"
            + " or REGISTRY/NAME@champion");
  }

  private static Located load(String requested, Kind kind, Path dir, Configuration conf)
      throws IOException {
    LoadedCheckpoint ck = ModelDirectory.read(dir.toString(), conf);
    return new Located(requested, kind, ck.uri(), ck);
  }

  /** {@code REG/NAME@VERSION}: the part after the last '@' is a version or "champion". */
  private static Optional<Located> fromRegistry(String path, Configuration conf)
      throws IOException {
    int at = path.lastIndexOf('@');
    if (at <= 0 || !REGISTRY_REF.matcher(path.substring(at + 1)).matches()) {
      return Optional.empty();
    }
    String version = path.substring(at + 1);
    ModelRegistry registry = ModelRegistry.open(path.substring(0, at), conf).requireExists();
    if (CHAMPION.equalsIgnoreCase(version)) {
      String champion =
          registry
              .champion()
              .orElseThrow(
                  () ->
                      new RegistryException(
                          "--model "
                              + path
                              + ": model registry "
                              + registry.uri()
                              + " has no champion; name a version, e.g. "
                              + path.substring(0, at)
                              + "@v0001"));
      LoadedCheckpoint ck = registry.load(champion);
      return Optional.of(new Located(path, Kind.REGISTRY_CHAMPION, ck.uri(), ck));
    }
    LoadedCheckpoint ck = registry.load(version);
    return Optional.of(new Located(path, Kind.REGISTRY_VERSION, ck.uri(), ck));
  }
}
