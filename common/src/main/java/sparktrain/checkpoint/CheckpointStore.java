package sparktrain.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training checkpoints on any Hadoop file system:
 *
 * <pre>
 * &lt;checkpoints&gt;/epoch-0003/  model.zip, extra files, manifest.json
 * &lt;checkpoints&gt;/LATEST       name of the newest complete checkpoint, replaced atomically
 * </pre>
 *
 * A checkpoint is written into {@code _tmp-epoch-0003-<uuid>} and published by renaming that
 * directory, then {@code LATEST} is replaced. Loading verifies every file's SHA-256. One writer at
 * a time per directory (the Spark driver); readers may run concurrently.
 */
public final class CheckpointStore {
  /** Name of the pointer file. */
  public static final String LATEST = "LATEST";

  /** Sub-directory of the run directory that holds the checkpoints. */
  public static final String CHECKPOINTS_DIR = "checkpoints";

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,9})");

  private final FileSystem fs;
  private final FileContext fc;
  private final Path dir;
  private final int keepLast;

  /**
   * A store in {@code <dirUri>/checkpoints}.
   *
   * @param dirUri the run directory, any Hadoop URI ({@code file:}, {@code hdfs:}, ...)
   * @param keepLast how many complete checkpoints to keep (at least 1)
   */
  public CheckpointStore(String dirUri, Configuration conf, int keepLast) throws IOException {
    this(new Path(new Path(dirUri), CHECKPOINTS_DIR), conf, keepLast);
  }

  private CheckpointStore(Path checkpointsDir, Configuration conf, int keepLast)
      throws IOException {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
    }
    this.fs = checkpointsDir.getFileSystem(conf);
    this.dir = fs.makeQualified(checkpointsDir);
    this.fc = HadoopFiles.fileContext(fs);
    this.keepLast = keepLast;
  }

  /**
   * A store whose checkpoints go directly into {@code checkpointsDirUri} (e.g. an explicit {@code
   * checkpoint.dir}), without the {@code checkpoints} sub-directory.
   */
  public static CheckpointStore inCheckpointsDir(
      String checkpointsDirUri, Configuration conf, int keepLast) throws IOException {
    return new CheckpointStore(new Path(checkpointsDirUri), conf, keepLast);
  }

  /** The checkpoint name of an epoch: {@code epoch-0003}. */
  public static String checkpointName(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    return String.format("epoch-%04d", epoch);
  }

  /** Fully qualified URI of the directory holding the checkpoints and {@code LATEST}. */
  public String checkpointsUri() {
    return dir.toUri().toString();
  }

  /**
   * Writes and publishes a checkpoint named after {@code meta.epoch()}, replaces {@code LATEST},
   * then deletes checkpoints beyond the newest {@code keepLast} and stale temporary directories. An
   * existing directory of the same name (left by a crash before the pointer update, or one that
   * loading skipped as corrupt) is replaced: renamed aside, and deleted only after the new one is
   * in place.
   */
  public CheckpointInfo write(
      MultiLayerNetwork net, CheckpointMetadata meta, Map<String, byte[]> extraFiles)
      throws IOException {
    String name = checkpointName(meta.epoch());
    Path target = new Path(dir, name);
    fs.mkdirs(dir);
    Path tmp = new Path(dir, HadoopFiles.TMP_PREFIX + name + "-" + UUID.randomUUID());
    CheckpointManifest manifest;
    boolean published = false;
    try {
      manifest = ArtifactDirectory.write(fs, tmp, net, meta, extraFiles);
      if (fs.exists(target)) {
        boolean isLatest = latestName().filter(name::equals).isPresent();
        LOG.warn(
            "Replacing existing checkpoint {}{}",
            target,
            isLatest
                ? " (named by LATEST)"
                : " (not named by LATEST: left by an interrupted write)");
      }
      ArtifactDirectory.publish(fc, tmp, target, true);
      published = true;
    } finally {
      if (!published) {
        HadoopFiles.deleteQuietly(fc, tmp);
      }
    }
    HadoopFiles.writeAtomically(
        fc, new Path(dir, LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
    applyRetention(name);
    LOG.info("Published checkpoint {}", target);
    return new CheckpointInfo(
        name, target.toUri().toString(), manifest.epoch(), manifest.iteration());
  }

  /**
   * The checkpoint {@code LATEST} names, verified; if it is missing or fails verification, the
   * newest older checkpoint that verifies (a WARN names each one skipped and the bad file). Without
   * a {@code LATEST} file, the newest complete checkpoint that verifies.
   *
   * @return empty if there is no checkpoint that verifies
   */
  public Optional<LoadedCheckpoint> loadLatest() throws IOException {
    Optional<String> latest = latestName();
    List<String> candidates = new ArrayList<>();
    int bound = Integer.MAX_VALUE;
    if (latest.isPresent()) {
      candidates.add(latest.get());
      bound = epochOf(latest.get());
    }
    List<String> complete = list();
    for (int i = complete.size() - 1; i >= 0; i--) {
      if (epochOf(complete.get(i)) < bound || latest.isEmpty()) {
        candidates.add(complete.get(i));
      }
    }
    for (String candidate : candidates) {
      try {
        return Optional.of(load(candidate));
      } catch (CheckpointCorruptException | FileNotFoundException e) {
        LOG.warn("Skipping checkpoint {}, trying an older one: {}", candidate, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * Loads the checkpoint {@code name} (e.g. {@code epoch-0003}), verifying every file.
   *
   * @throws CheckpointCorruptException naming the file (and the expected and actual hash) on a
   *     mismatch, a missing file or an unreadable manifest
   * @throws FileNotFoundException if there is no such checkpoint directory
   */
  public LoadedCheckpoint load(String name) throws IOException {
    requireName(name);
    Path checkpoint = new Path(dir, name);
    if (!fs.exists(checkpoint)) {
      throw new FileNotFoundException("No checkpoint directory " + checkpoint);
    }
    return ArtifactDirectory.readVerified(fs, checkpoint);
  }

  /** Names of the complete checkpoints (with a manifest), oldest epoch first. */
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    for (String name : epochDirectories()) {
      if (fs.exists(new Path(new Path(dir, name), CheckpointManifest.FILE_NAME))) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The name in {@code LATEST}, if the file exists and holds a valid checkpoint name (a WARN is
   * logged otherwise). The directory it names may be missing or corrupt.
   */
  public Optional<String> latestName() throws IOException {
    Path pointer = new Path(dir, LATEST);
    byte[] content;
    try {
      content = HadoopFiles.readAll(fs, pointer);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    String name = new String(content, StandardCharsets.UTF_8).trim();
    if (!NAME.matcher(name).matches()) {
      LOG.warn("Ignoring {}: '{}' is not a checkpoint name", pointer, name);
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /**
   * Keeps the newest {@code keepLast} complete checkpoints up to {@code latest} (always including
   * it) and deletes older epoch directories and all {@code _tmp-*} entries. Newer epoch directories
   * (not yet named by LATEST) are left for a later write to replace. Failures are logged, not
   * thrown: the new checkpoint is already published.
   */
  private void applyRetention(String latest) {
    try {
      int latestEpoch = epochOf(latest);
      List<String> complete = list();
      Set<String> keep = new HashSet<>();
      keep.add(latest);
      complete.stream()
          .filter(n -> epochOf(n) <= latestEpoch)
          .sorted(Comparator.comparingInt(CheckpointStore::epochOf).reversed())
          .limit(keepLast)
          .forEach(keep::add);
      for (String name : epochDirectories()) {
        if (epochOf(name) <= latestEpoch && !keep.contains(name)) {
          LOG.info("Retention (keep-last {}): deleting checkpoint {}", keepLast, name);
          HadoopFiles.deleteQuietly(fc, new Path(dir, name));
        }
      }
      for (FileStatus status : fs.listStatus(dir)) {
        if (status.getPath().getName().startsWith(HadoopFiles.TMP_PREFIX)) {
          LOG.info("Deleting stale temporary {}", status.getPath());
          HadoopFiles.deleteQuietly(fc, status.getPath());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Checkpoint retention in {} failed: {}", dir, e.toString());
    }
  }

  /** Directories named like checkpoints, complete or not, oldest epoch first. */
  private List<String> epochDirectories() throws IOException {
    FileStatus[] statuses;
    try {
      statuses = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (FileStatus status : statuses) {
      String name = status.getPath().getName();
      if (status.isDirectory() && NAME.matcher(name).matches()) {
        names.add(name);
      }
    }
    names.sort(Comparator.comparingInt(CheckpointStore::epochOf));
    return names;
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Not a checkpoint name (expected epoch-NNNN): '" + name + "'");
    }
  }

  private static int epochOf(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("Not a checkpoint name: '" + name + "'");
    }
    return Integer.parseInt(m.group(1));
  }
}
