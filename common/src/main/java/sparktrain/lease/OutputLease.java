package sparktrain.lease;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.io.ControlFiles;
import sparktrain.io.HadoopFiles;

/**
 * One writer per output directory: the {@link Lease} file {@value #FILE_NAME} in the directory a
 * command writes (a run directory, an evaluation's or a prediction's output, a retrain's output, a
 * benchmark's results), taken before anything else is written there, renewed by a {@link
 * LeaseKeeper} while the command runs, and released by {@link #close()}. A second writer is refused
 * with a {@link LeaseHeldException} (exit 3) naming the holder and how to take over; a lease left
 * by a dead holder is taken over once it has expired.
 *
 * <p>Re-entrant within a thread, like a {@code ReentrantLock}: the CLI takes the lease before Spark
 * starts and the job it runs takes it again; the outermost {@link #close()} releases it. Another
 * thread of the same process is refused like another process.
 *
 * <p>Exclusive creation is atomic on HDFS and the local file system ({@link ControlFiles}); S3A
 * without conditional writes cannot promise it (see the README).
 */
public final class OutputLease implements AutoCloseable {
  /** Name of the lease file in an output directory (hidden from Spark and Hadoop readers). */
  public static final String FILE_NAME = "_LEASE";

  private static final Logger LOG = LoggerFactory.getLogger(OutputLease.class);

  /** Leases this process holds, by directory URI (guarded by the class). */
  private static final Map<String, Held> HELD = new HashMap<>();

  private final Held held;
  private boolean closed;

  private OutputLease(Held held) {
    this.held = held;
  }

  /**
   * Takes the lease on {@code dir} (any Hadoop file system), or takes it again in the thread that
   * holds it.
   *
   * @param ttl {@code output.lease-ttl}: the lease expires this long after its last renewal
   * @param purpose what the holder does (e.g. {@code train}), shown to anyone refused
   * @param takeOver how to take over once the holder is gone and its lease expired, e.g. {@code
   *     rerun with --resume to continue its run}
   * @throws LeaseHeldException if another process or thread holds an unexpired lease on it
   */
  public static OutputLease acquire(
      String dir, Configuration conf, Duration ttl, String purpose, String takeOver)
      throws IOException {
    Path p = new Path(dir);
    FileSystem fs = p.getFileSystem(conf);
    return acquire(fs, fs.makeQualified(p), ttl, purpose, takeOver);
  }

  /**
   * {@link #acquire(String, Configuration, Duration, String, String)}, or null when {@code dir} is
   * null or blank (a default directory is new, timestamped, and leased by the job itself).
   */
  public static OutputLease acquireIfNamed(
      String dir, Configuration conf, Duration ttl, String purpose, String takeOver)
      throws IOException {
    return dir == null || dir.isBlank() ? null : acquire(dir, conf, ttl, purpose, takeOver);
  }

  /** {@link #acquire(String, Configuration, Duration, String, String)} of a qualified path. */
  public static OutputLease acquire(
      FileSystem fs, Path dir, Duration ttl, String purpose, String takeOver) throws IOException {
    String key = dir.toString();
    synchronized (OutputLease.class) {
      Held existing = HELD.get(key);
      Words words = new Words(key, takeOver);
      if (existing != null) {
        if (existing.owner != Thread.currentThread()) {
          throw words.exception(
              words.refusal(existing.handle.info(), existing.file)
                  + " (another thread of this process, "
                  + existing.owner.getName()
                  + ", holds it)",
              existing.handle.info());
        }
        existing.holds++;
        return new OutputLease(existing);
      }
      Path file = new Path(dir, FILE_NAME);
      boolean existed = fs.exists(dir);
      Lease lease = new Lease(new ControlFiles(fs), file, Clock.systemUTC(), words);
      Lease.Handle handle = lease.tryAcquire(ttl, purpose);
      handle
          .brokenStale()
          .ifPresent(
              old ->
                  LOG.warn(
                      "Took over output directory {} from {} (its lease had expired)",
                      key,
                      old.describe()));
      Held held = new Held(key, fs, file, handle, new LeaseKeeper(handle, ttl), !existed);
      HELD.put(key, held);
      return new OutputLease(held);
    }
  }

  /** The qualified URI of the leased directory. */
  public String directory() {
    return held.dir;
  }

  /**
   * Names the holder's Spark application in the lease (shown to anyone refused).
   *
   * @throws LeaseHeldException if the lease was lost
   */
  public void recordApplication(String applicationId) throws IOException {
    held.keeper.recordApplication(applicationId);
  }

  /**
   * Checks that the lease is still this process's: run it before publishing anything.
   *
   * @throws LeaseHeldException if it was lost (expired while this process stalled, and taken over)
   */
  public void check() throws IOException {
    held.keeper.check();
  }

  /** Whether the lease is still this process's (no exception: for writing a failure record). */
  public boolean isHeld() {
    try {
      check();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Gives up this hold; the outermost one stops the renewals and releases the lease. Idempotent.
   */
  @Override
  public void close() throws IOException {
    synchronized (OutputLease.class) {
      if (closed) {
        return;
      }
      closed = true;
      if (--held.holds > 0) {
        return;
      }
      HELD.remove(held.dir);
    }
    held.keeper.close();
    held.handle.close();
    held.removeIfCreatedAndEmpty();
  }

  /**
   * Whether {@code name} is a lease file, one of its temporaries, or the local file system's
   * checksum file of either (not the directory's content).
   */
  public static boolean isLeaseEntry(String name) {
    String n = name;
    if (n.startsWith(".") && n.endsWith(".crc")) {
      n = n.substring(1, n.length() - ".crc".length());
    }
    return n.equals(FILE_NAME) || n.startsWith(HadoopFiles.TMP_PREFIX + FILE_NAME + "-");
  }

  /** The entries of {@code dir} but its lease; empty if it does not exist. */
  public static List<FileStatus> contents(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      if (!isLeaseEntry(s.getPath().getName())) {
        out.add(s);
      }
    }
    return out;
  }

  /** A lease this process holds, shared by the nested holds of its thread. */
  private static final class Held {
    final String dir;
    final FileSystem fs;
    final Path file;
    final Lease.Handle handle;
    final LeaseKeeper keeper;
    final boolean created;
    final Thread owner = Thread.currentThread();
    int holds = 1;

    Held(
        String dir,
        FileSystem fs,
        Path file,
        Lease.Handle handle,
        LeaseKeeper keeper,
        boolean created) {
      this.dir = dir;
      this.fs = fs;
      this.file = file;
      this.handle = handle;
      this.keeper = keeper;
      this.created = created;
    }

    /**
     * A command that failed or was refused before writing anything leaves no directory behind: the
     * one this lease created is removed if it is empty (a non-recursive delete, which fails if
     * another process put its lease there meanwhile).
     */
    void removeIfCreatedAndEmpty() {
      if (!created) {
        return;
      }
      Path d = file.getParent();
      try {
        if (fs.exists(d) && fs.listStatus(d).length == 0) {
          fs.delete(d, false);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("Left the empty directory {}: {}", d, e.toString());
      }
    }
  }

  /** The wording of an output directory's lease. */
  private record Words(String dir, String takeOver) implements Lease.Wording {
    @Override
    public String noun() {
      return "lease";
    }

    @Override
    public String subject() {
      return "output directory " + dir;
    }

    @Override
    public String refusal(LeaseInfo holder, Path file) {
      return String.format(
          "Output directory %s is being written by %s (lease file %s); one writer per directory:"
              + " wait for it to finish, or choose another --output. If that process is gone, its"
              + " lease expires at %s (output.lease-ttl after its last renewal); then %s.",
          dir,
          holder == null ? "another process" : holder.describe(),
          file,
          holder == null ? "its expiry" : holder.expiresAt(),
          takeOver);
    }

    @Override
    public LeaseHeldException exception(String message, LeaseInfo holder) {
      return new LeaseHeldException(message, holder);
    }
  }
}
