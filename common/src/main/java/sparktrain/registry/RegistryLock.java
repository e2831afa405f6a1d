package sparktrain.registry;

import com.fasterxml.jackson.core.JacksonException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.io.Json;

/**
 * One writer per model at a time: the file {@code <registry>/<name>/LOCK}, created exclusively and
 * holding a {@link LockInfo} (host, pid, random id, purpose, acquired and expiry time).
 *
 * <p>{@link #tryAcquire} never waits: if another holder's lock has not expired it throws {@link
 * RegistryLockedException}; an expired (stale) lock, left by a crashed process, is broken with a
 * WARN naming the old holder. Breaking and releasing first rename the lock file aside and check
 * that it is the expected one (putting it back otherwise), so a process never deletes a lock that
 * another one has just taken. Holders of long operations {@link Handle#renew renew} the lock and
 * {@link Handle#verifyHeld verify} it before they publish.
 */
public final class RegistryLock {
  /** Name of the lock file in the model's registry directory. */
  public static final String FILE_NAME = "LOCK";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryLock.class);
  private static final int ATTEMPTS = 3;

  private final ControlFiles files;
  private final Path lockFile;
  private final String registryUri;
  private final Clock clock;

  RegistryLock(ControlFiles files, Path modelDir, String registryUri, Clock clock) {
    this.files = files;
    this.lockFile = new Path(modelDir, FILE_NAME);
    this.registryUri = registryUri;
    this.clock = clock;
  }

  /** Fully qualified URI of the lock file. */
  public String uri() {
    return lockFile.toUri().toString();
  }

  /** Same as {@link #tryAcquire(Duration, String)} with purpose {@code "sparktrain"}. */
  public Handle tryAcquire(Duration ttl) throws IOException {
    return tryAcquire(ttl, "sparktrain");
  }

  /**
   * Takes the lock for {@code ttl} (renewable), breaking a stale one.
   *
   * @param purpose what the holder does, shown to anyone refused (e.g. {@code retrain})
   * @throws RegistryLockedException if another holder's unexpired lock is in place
   */
  public Handle tryAcquire(Duration ttl, String purpose) throws IOException {
    requirePositive(ttl);
    LockInfo broken = null;
    LockInfo seen = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LockInfo mine = newInfo(ttl, purpose);
      if (files.createExclusively(lockFile, Json.pretty(mine))) {
        LOG.info("Acquired registry lock {} ({})", lockFile, mine.describe());
        return new Handle(mine, broken);
      }
      Optional<LockInfo> existing = read(ttl);
      if (existing.isEmpty()) {
        continue; // released in between: try again
      }
      seen = existing.get();
      if (!seen.isExpiredAt(clock.instant())) {
        throw locked(seen);
      }
      LOG.warn(
          "Breaking stale registry lock {}: held by {} (expired; the holder presumably crashed)",
          lockFile,
          seen.describe());
      if (removeIfSame(seen)) {
        broken = seen;
      }
    }
    throw locked(seen);
  }

  /**
   * The lock currently in place, if any. An unreadable lock file is reported with holder {@code
   * unknown} and its modification time as acquisition time (it expires one hour later).
   */
  public Optional<LockInfo> current() throws IOException {
    return read(Duration.ofHours(1));
  }

  /**
   * Removes the lock whoever holds it ({@code --break-lock}), with a WARN naming the holder. Only
   * for a holder known to be dead: a live holder would go on believing it holds the lock until its
   * next {@link Handle#verifyHeld}.
   *
   * @return the lock that was removed, empty if there was none
   */
  public Optional<LockInfo> breakLock() throws IOException {
    Optional<LockInfo> existing = current();
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    LOG.warn(
        "Breaking registry lock {} on request: held by {}", lockFile, existing.get().describe());
    Path aside = ControlFiles.tempSibling(lockFile, "broken");
    if (!files.moveAside(lockFile, aside)) {
      return Optional.empty();
    }
    files.deleteQuietly(aside);
    return existing;
  }

  /** The lock file's content, or empty if there is none. */
  private Optional<LockInfo> read(Duration ttlForUnreadable) throws IOException {
    Optional<byte[]> content;
    try {
      content = files.read(lockFile);
    } catch (IOException e) {
      return Optional.of(unreadable(ttlForUnreadable, e.toString()));
    }
    if (content.isEmpty()) {
      return Optional.empty();
    }
    try {
      LockInfo info = RegistryJson.readerFor(LockInfo.class).readValue(content.get());
      if (info == null || info.id() == null || info.expiresAt() == null) {
        return Optional.of(unreadable(ttlForUnreadable, "no id or expires_at"));
      }
      return Optional.of(info);
    } catch (JacksonException e) {
      return Optional.of(unreadable(ttlForUnreadable, e.getOriginalMessage()));
    }
  }

  /**
   * A stand-in for a lock file that exists but cannot be parsed: it expires ttl after its mtime.
   */
  private LockInfo unreadable(Duration ttl, String why) throws IOException {
    Instant modified;
    try {
      modified = Instant.ofEpochMilli(files.fs().getFileStatus(lockFile).getModificationTime());
    } catch (FileNotFoundException e) {
      modified = clock.instant();
    }
    return new LockInfo(
        "unknown",
        -1,
        "unreadable",
        "unreadable lock file (" + why + ")",
        modified.toString(),
        modified.plus(ttl).toString());
  }

  /**
   * Removes the lock file if it still is {@code expected}: renames it aside, compares, and puts it
   * back if it is another holder's.
   */
  private boolean removeIfSame(LockInfo expected) throws IOException {
    Path aside = ControlFiles.tempSibling(lockFile, "release");
    if (!files.moveAside(lockFile, aside)) {
      return false;
    }
    LockInfo moved = readAside(aside);
    if (moved != null && Objects.equals(moved.id(), expected.id())) {
      files.deleteQuietly(aside);
      return true;
    }
    try {
      if (!files.moveAside(aside, lockFile)) {
        LOG.warn("Lock file {} vanished while being checked", aside);
      }
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      LOG.warn(
          "Could not put back the lock of {} ({}): {} was taken meanwhile",
          moved == null ? "an unknown holder" : moved.describe(),
          aside,
          lockFile);
      files.deleteQuietly(aside);
    }
    return false;
  }

  /**
   * The lock renamed aside; an unparsable one gets the id {@code unreadable}, as in {@link #read}.
   */
  private LockInfo readAside(Path aside) {
    LockInfo unreadable = new LockInfo("unknown", -1, "unreadable", null, null, null);
    try {
      LockInfo info =
          RegistryJson.readerFor(LockInfo.class).readValue(files.read(aside).orElse(new byte[0]));
      return info == null || info.id() == null || info.expiresAt() == null ? unreadable : info;
    } catch (IOException e) {
      return unreadable;
    }
  }

  private RegistryLockedException locked(LockInfo holder) {
    String who = holder == null ? "another process" : holder.describe();
    return new RegistryLockedException(
        String.format(
            "Model registry %s is locked by %s (lock file %s). Another retrain, promotion or"
                + " rollback of this model is running; wait for it to finish. If that process is"
                + " dead, rerun with --break-lock (or wait until the lock expires).",
            registryUri, who, lockFile),
        holder);
  }

  private LockInfo newInfo(Duration ttl, String purpose) {
    String host = hostName(); // before reading the clock: the first lookup can take seconds
    Instant now = clock.instant();
    return new LockInfo(
        host,
        ProcessHandle.current().pid(),
        UUID.randomUUID().toString(),
        purpose,
        now.toString(),
        now.plus(ttl).toString());
  }

  private static void requirePositive(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("Lock time-to-live must be positive, got " + ttl);
    }
  }

  /** This host's name, looked up once per JVM (a lookup can wait seconds for DNS). */
  static String hostName() {
    return HostName.NAME;
  }

  private static final class HostName {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "unknown-host" : env;
      }
    }
  }

  /**
   * A held lock. {@link #close()} releases it if it is still this holder's (a lock broken and taken
   * over by another process is left alone).
   */
  public final class Handle implements AutoCloseable {
    private volatile LockInfo info;
    private final LockInfo brokenStale;
    private volatile boolean released;

    private Handle(LockInfo info, LockInfo brokenStale) {
      this.info = info;
      this.brokenStale = brokenStale;
    }

    /** This holder's lock content. */
    public LockInfo info() {
      return info;
    }

    /** The stale lock broken to acquire this one, if any. */
    public Optional<LockInfo> brokenStale() {
      return Optional.ofNullable(brokenStale);
    }

    /**
     * Checks that the lock file is still this holder's.
     *
     * @throws RegistryLockedException if it was released, broken or taken over
     */
    public void verifyHeld() throws IOException {
      if (released) {
        throw new RegistryLockedException(
            "The lock on model registry " + registryUri + " was already released", null);
      }
      Optional<LockInfo> now = read(Duration.ofHours(1));
      if (now.isEmpty() || !info.id().equals(now.get().id())) {
        throw new RegistryLockedException(
            String.format(
                "Lost the lock on model registry %s (lock id %s): the lock file %s %s",
                registryUri,
                info.id(),
                lockFile,
                now.isEmpty() ? "is gone (broken?)" : "now names " + now.get().describe()),
            now.orElse(null));
      }
    }

    /**
     * Extends the lock to {@code ttl} from now.
     *
     * @throws RegistryLockedException if the lock is no longer this holder's
     */
    public void renew(Duration ttl) throws IOException {
      requirePositive(ttl);
      verifyHeld();
      Instant now = clock.instant();
      LockInfo renewed =
          new LockInfo(
              info.host(),
              info.pid(),
              info.id(),
              info.purpose(),
              info.acquiredAt(),
              now.plus(ttl).toString());
      files.replace(lockFile, Json.pretty(renewed));
      info = renewed;
    }

    /** Releases the lock if it is still this holder's; idempotent. */
    @Override
    public void close() throws IOException {
      if (released) {
        return;
      }
      released = true;
      if (removeIfSame(info)) {
        LOG.info("Released registry lock {}", lockFile);
      } else {
        LOG.warn(
            "Registry lock {} was no longer ours (lock id {}) at release: it was broken or taken"
                + " over; removed nothing",
            lockFile,
            info.id());
      }
    }
  }
}
