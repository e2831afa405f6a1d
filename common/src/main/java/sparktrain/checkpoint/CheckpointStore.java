package sparktrain.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
import sparktrain.io.HadoopFiles;
import sparktrain.lease.OutputLease;

/**
 * Training checkpoints on any Hadoop file system:
 *
 * <pre>
 * &lt;checkpoints&gt;/epoch-0003/             after epoch 3: model.zip, extra files, manifest.json
 * &lt;checkpoints&gt;/epoch-0004-round-0010/  within epoch 4, after its 10th averaging round
 * &lt;checkpoints&gt;/LATEST                  name of the newest complete checkpoint
 * </pre>
 *
 * Checkpoints are ordered by training position: {@code epoch-0003 < epoch-0004-round-0010 <
 * epoch-0004}.
 *
 * <p>On file systems with an atomic directory rename (HDFS, local) a checkpoint is written into
 * {@code _tmp-epoch-0003-<uuid>} and published by renaming that directory. On object stores ({@code
 * s3a:}, {@code gs:}, ...) a rename is a copy, so the files are written directly into the
 * checkpoint's own (versioned) directory, {@code manifest.json} last. Either way {@code LATEST} is
 * replaced last, and a directory counts as complete only with its manifest: a crash at any point
 * leaves the previous checkpoint loadable. Loading verifies every file's SHA-256 and size.
 *
 * <p>Retention keeps the newest {@code keepLast} checkpoints, the one {@code LATEST} names and,
 * when configured with {@link #withBestKept}, the best one by a metric of its manifest.
 *
 * <p>One writer at a time per directory (the Spark driver); readers may run concurrently.
 */
public final class CheckpointStore {
  /** Name of the pointer file. */
  public static final String LATEST = "LATEST";

  /** Sub-directory of the run directory that holds the checkpoints. */
  public static final String CHECKPOINTS_DIR = "checkpoints";

  /**
   * What runs after a checkpoint's files are written and before it is published (directory rename,
   * {@code LATEST}): nothing in production. Package-private: a test installs one (see {@code
   * HaltBeforePublishMain} in the test sources, which halts the JVM there like {@code kill -9}).
   */
  interface BeforePublish {
    /** Called with the checkpoint's name and the directory its files were written to. */
    void written(String name, Path written);

    /** The production hook: nothing. */
    BeforePublish NONE = (name, written) -> {};
  }

  static volatile BeforePublish beforePublish = BeforePublish.NONE;

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,9})(?:-round-(\\d{4,9}))?");

  /** Schemes of object stores, whose directory rename is a non-atomic copy. */
  private static final Set<String> OBJECT_STORES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs", "wasb", "wasbs");

  private final FileSystem fs;
  private final FileContext fc;
  private final Path dir;
  private final int keepLast;
  private final BestMetric best;
  private final boolean atomicRename;
  private final PublishGuard guard;

  /**
   * A check run before a checkpoint is written and again before it is published, e.g. that the
   * writer still holds its output directory's lease; it throws to stop the write.
   */
  public interface PublishGuard {
    /** Throws if the checkpoint must not be written or published. */
    void check() throws IOException;
  }

  /**
   * Which metric of the manifests marks the best checkpoint.
   *
   * @param metric metric name, e.g. {@code accuracy} or {@code loss}
   * @param higherIsBetter true for accuracy-like metrics, false for losses
   */
  public record BestMetric(String metric, boolean higherIsBetter) {
    /** Checks the metric name. */
    public BestMetric {
      if (metric == null || metric.isBlank()) {
        throw new IllegalArgumentException("best metric name must not be blank");
      }
    }

    /** Whether {@code a} is better than {@code b}. */
    boolean better(double a, double b) {
      return higherIsBetter ? a > b : a < b;
    }
  }

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
    this.best = null;
    this.atomicRename = renamesAtomically(dir.toUri().getScheme());
    this.guard = () -> {};
  }

  private CheckpointStore(
      CheckpointStore other, BestMetric best, boolean atomicRename, PublishGuard guard) {
    this.fs = other.fs;
    this.dir = other.dir;
    this.fc = other.fc;
    this.keepLast = other.keepLast;
    this.best = best;
    this.atomicRename = atomicRename;
    this.guard = guard;
  }

  /** The same store, running {@code guard} before each checkpoint is written and published. */
  public CheckpointStore withGuard(PublishGuard guard) {
    return new CheckpointStore(this, best, atomicRename, guard);
  }

  /**
   * The same store, whose retention also keeps the best checkpoint by {@code best} among those
   * whose manifest has that metric (null: keep no best one).
   */
  public CheckpointStore withBestKept(BestMetric best) {
    return new CheckpointStore(this, best, atomicRename, guard);
  }

  /**
   * The same store writing the object-store way (directly into the checkpoint directory, manifest
   * last, no directory rename), whatever the file system; for tests of that mode on HDFS or local
   * files.
   */
  CheckpointStore withDirectWrites() {
    return new CheckpointStore(this, best, false, guard);
  }

  /** Whether a file system scheme has an atomic directory rename (object stores do not). */
  static boolean renamesAtomically(String scheme) {
    return scheme == null || !OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  /** Whether checkpoints are published by an atomic directory rename (false on object stores). */
  public boolean publishesByRename() {
    return atomicRename;
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
    return String.format(Locale.ROOT, "epoch-%04d", epoch);
  }

  /**
   * The name of a checkpoint within an epoch: {@code epoch-0004-round-0010} after 3 complete epochs
   * and 10 averaging rounds of the 4th.
   *
   * @param completedEpochs epochs completed before this one (the manifest's epoch)
   * @param round averaging rounds done in the epoch in progress (&gt;= 1)
   */
  public static String roundCheckpointName(int completedEpochs, int round) {
    if (completedEpochs < 0 || round < 1) {
      throw new IllegalArgumentException(
          "need completedEpochs >= 0 and round >= 1, got " + completedEpochs + " and " + round);
    }
    return String.format(Locale.ROOT, "epoch-%04d-round-%04d", completedEpochs + 1, round);
  }

  /**
   * Epochs completed at checkpoint {@code name}: 3 for {@code epoch-0003} and {@code
   * epoch-0004-round-0010}.
   */
  public static int completedEpochsOf(String name) {
    return Position.of(name).completedEpochs();
  }

  /**
   * Averaging rounds done in the epoch in progress: 0 for {@code epoch-0003}, 10 for {@code
   * epoch-0004-round-0010}.
   */
  public static int roundOf(String name) {
    return Position.of(name).round();
  }

  /** Fully qualified URI of the directory holding the checkpoints and {@code LATEST}. */
  public String checkpointsUri() {
    return dir.toUri().toString();
  }

  /**
   * Writes and publishes the checkpoint of a completed epoch, named after {@code meta.epoch()},
   * replaces {@code LATEST}, then applies retention and deletes stale temporary directories. An
   * existing directory of the same name (left by a crash before the pointer update, or one that
   * loading skipped as corrupt) is replaced: renamed aside, and deleted only after the new one is
   * in place.
   */
  public CheckpointInfo write(
      MultiLayerNetwork net, CheckpointMetadata meta, Map<String, byte[]> extraFiles)
      throws IOException {
    return write(checkpointName(meta.epoch()), net, meta, extraFiles);
  }

  /**
   * Like {@link #write(MultiLayerNetwork, CheckpointMetadata, Map)}, for a checkpoint within the
   * epoch after {@code meta.epoch()}, after its {@code round}-th averaging round; named by {@link
   * #roundCheckpointName}.
   */
  public CheckpointInfo writeWithinEpoch(
      MultiLayerNetwork net, CheckpointMetadata meta, int round, Map<String, byte[]> extraFiles)
      throws IOException {
    return write(roundCheckpointName(meta.epoch(), round), net, meta, extraFiles);
  }

  private CheckpointInfo write(
      String name, MultiLayerNetwork net, CheckpointMetadata meta, Map<String, byte[]> extraFiles)
      throws IOException {
    Path target = new Path(dir, name);
    guard.check();
    fs.mkdirs(dir);
    CheckpointManifest manifest;
    if (atomicRename) {
      manifest = writeByRename(name, target, net, meta, extraFiles);
    } else {
      manifest = writeDirectly(name, target, net, meta, extraFiles);
    }
    HadoopFiles.writeAtomically(
        fc, new Path(dir, LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
    applyRetention(name);
    LOG.info("Published checkpoint {}", target);
    return new CheckpointInfo(
        name, target.toUri().toString(), manifest.epoch(), manifest.iteration());
  }

  private CheckpointManifest writeByRename(
      String name,
      Path target,
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles)
      throws IOException {
    Path tmp = new Path(dir, HadoopFiles.TMP_PREFIX + name + "-" + UUID.randomUUID());
    boolean published = false;
    try {
      CheckpointManifest manifest = ArtifactDirectory.write(fs, tmp, net, meta, extraFiles);
      beforePublish.written(name, tmp);
      guard.check();
      if (fs.exists(target)) {
        warnReplacing(name, target);
      }
      ArtifactDirectory.publish(fc, tmp, target, true);
      published = true;
      return manifest;
    } finally {
      if (!published) {
        HadoopFiles.deleteQuietly(fc, tmp);
      }
    }
  }

  /**
   * Object stores: no rename. The directory counts as complete once its manifest, written last,
   * exists; {@code LATEST} names it only after that.
   */
  private CheckpointManifest writeDirectly(
      String name,
      Path target,
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles)
      throws IOException {
    if (fs.exists(target)) {
      warnReplacing(name, target);
      if (!fs.delete(target, true) && fs.exists(target)) {
        throw new IOException("Could not delete the checkpoint to replace: " + target);
      }
    }
    CheckpointManifest manifest = ArtifactDirectory.write(fs, target, net, meta, extraFiles);
    beforePublish.written(name, target);
    return manifest;
  }

  private void warnReplacing(String name, Path target) throws IOException {
    boolean isLatest = latestName().filter(name::equals).isPresent();
    LOG.warn(
        "Replacing existing checkpoint {}{}",
        target,
        isLatest ? " (named by LATEST)" : " (not named by LATEST: left by an interrupted write)");
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
    if (latest.isPresent()) {
      candidates.add(latest.get());
    }
    List<String> complete = list();
    for (int i = complete.size() - 1; i >= 0; i--) {
      String name = complete.get(i);
      if (latest.isEmpty() || Position.of(name).compareTo(Position.of(latest.get())) < 0) {
        candidates.add(name);
      }
    }
    for (String candidate : candidates) {
      try {
        return Optional.of(load(candidate));
      } catch (CheckpointCorruptException | FileNotFoundException e) {
        LOG.warn(
            "Skipping checkpoint {} in {}, trying an older one: {}",
            candidate,
            dir,
            e.getMessage());
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

  /** Names of the complete checkpoints (with a manifest), oldest training position first. */
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
    if (!isCheckpointName(name)) {
      LOG.warn("Ignoring {}: '{}' is not a checkpoint name", pointer, name);
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /**
   * The best complete checkpoint by the {@link #withBestKept} metric: the one whose manifest has
   * the best finite value (the newest on a tie). Empty without a best metric or without any
   * checkpoint that has it. Checkpoints with an unreadable manifest are skipped.
   */
  public Optional<String> best() throws IOException {
    return best(list());
  }

  private Optional<String> best(List<String> names) {
    if (best == null) {
      return Optional.empty();
    }
    String bestName = null;
    double bestValue = Double.NaN;
    for (String name : names) {
      Double value;
      try {
        value =
            ArtifactDirectory.readManifest(fs, new Path(dir, name)).metrics().get(best.metric());
      } catch (IOException | RuntimeException e) {
        continue;
      }
      if (value == null || !Double.isFinite(value)) {
        continue;
      }
      if (bestName == null || !best.better(bestValue, value)) {
        bestName = name;
        bestValue = value;
      }
    }
    return Optional.ofNullable(bestName);
  }

  /**
   * Keeps {@code latest}, the newest {@code keepLast} complete checkpoints up to it and the best
   * one up to it (if configured), and deletes the other checkpoint directories up to {@code latest}
   * and all {@code _tmp-*} entries. Newer directories (not yet named by LATEST) are left for a
   * later write to replace. Failures are logged, not thrown: the new checkpoint is already
   * published.
   */
  private void applyRetention(String latest) {
    try {
      Position latestPosition = Position.of(latest);
      List<String> upToLatest =
          list().stream().filter(n -> Position.of(n).compareTo(latestPosition) <= 0).toList();
      Set<String> keep = new HashSet<>();
      keep.add(latest);
      for (int i = Math.max(0, upToLatest.size() - keepLast); i < upToLatest.size(); i++) {
        keep.add(upToLatest.get(i));
      }
      Optional<String> bestName = best(upToLatest);
      if (bestName.isPresent() && keep.add(bestName.get())) {
        LOG.info("Retention: keeping {}, the best by {}", bestName.get(), best.metric());
      }
      for (String name : epochDirectories()) {
        if (Position.of(name).compareTo(latestPosition) <= 0 && !keep.contains(name)) {
          LOG.info("Retention (keep-last {}): deleting checkpoint {}", keepLast, name);
          HadoopFiles.deleteQuietly(fc, new Path(dir, name));
        }
      }
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (name.startsWith(HadoopFiles.TMP_PREFIX) && !OutputLease.isLeaseEntry(name)) {
          LOG.info("Deleting stale temporary {}", status.getPath());
          HadoopFiles.deleteQuietly(fc, status.getPath());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Checkpoint retention in {} failed: {}", dir, e.toString());
    }
  }

  /** Directories named like checkpoints, complete or not, oldest training position first. */
  private List<String> epochDirectories() throws IOException {
    List<String> names =
        HadoopFiles.names(fs, dir, s -> s.isDirectory() && isCheckpointName(s.getPath().getName()));
    names.sort(Comparator.comparing(Position::of));
    return names;
  }

  private static void requireName(String name) {
    Position.of(name);
  }

  private static boolean isCheckpointName(String name) {
    try {
      Position.of(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Training position of a checkpoint name: completed epochs, then rounds of the next one. */
  private record Position(int completedEpochs, int round) implements Comparable<Position> {
    static Position of(String name) {
      Matcher m = name == null ? null : NAME.matcher(name);
      if (m == null || !m.matches()) {
        throw new IllegalArgumentException(
            "Not a checkpoint name (expected epoch-NNNN or epoch-NNNN-round-NNNN): '" + name + "'");
      }
      int epoch = Integer.parseInt(m.group(1));
      if (m.group(2) == null) {
        return new Position(epoch, 0);
      }
      int round = Integer.parseInt(m.group(2));
      if (epoch < 1 || round < 1) {
        throw new IllegalArgumentException(
            "Not a checkpoint name (epoch and round of epoch-NNNN-round-NNNN start at 1): '"
                + name
                + "'");
      }
      return new Position(epoch - 1, round);
    }

    @Override
    public int compareTo(Position o) {
      int c = Integer.compare(completedEpochs, o.completedEpochs);
      return c != 0 ? c : Integer.compare(round, o.round);
    }
  }
}
