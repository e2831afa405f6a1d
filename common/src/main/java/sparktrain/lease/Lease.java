package sparktrain.lease;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
import sparktrain.io.ControlFiles;
import sparktrain.io.Json;

/**
 * One writer at a time: a lease file, created exclusively ({@link ControlFiles#createExclusively})
 * and holding a {@link LeaseInfo} (host, pid, Spark application, random id, purpose, acquired and
 * expiry time). A registry's {@code LOCK} and an output directory's {@code _LEASE} are leases.
 *
 * <p>{@link #tryAcquire} never waits: if another holder's lease has not expired it throws the
 * {@link Wording}'s {@link LeaseHeldException}; an expired (stale) lease, left by a crashed
 * process, is broken with a WARN naming the old holder. Breaking and releasing first rename the
 * lease file aside and check that it is the expected one (putting it back otherwise), so a process
 * never deletes a lease that another one has just taken. Holders of long operations {@link
 * Handle#renew renew} the lease (see {@link LeaseKeeper}) and {@link Handle#verifyHeld verify} it
 * before they publish.
 */
public final class Lease {
  private static final Logger LOG = LoggerFactory.getLogger(Lease.class);
  private static final int ATTEMPTS = 3;

  /**
   * A plain mapper on purpose: {@code sparktrain.io.Json} registers every module on the classpath
   * (Spark's Scala module included); unknown fields (written by newer versions) are ignored.
   */
  private static final ObjectReader READER =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readerFor(LeaseInfo.class);

  /** How a lease names itself and its refusals. */
  public interface Wording {
    /** {@code lock} or {@code lease}, as in "Lost the lock on ...". */
    String noun();

    /** What is leased, e.g. {@code model registry hdfs://nn/reg/mnist}. */
    String subject();

    /** The one-line message for a refusal: {@code holder} (null if unreadable) holds the lease. */
    String refusal(LeaseInfo holder, Path file);

    /** The exception carrying a refusal or a lost lease. */
    LeaseHeldException exception(String message, LeaseInfo holder);
  }

  private final ControlFiles files;
  private final Path file;
  private final Clock clock;
  private final Wording wording;

  /**
   * The lease in {@code file}.
   *
   * @param clock the time for expiry (tests move it by hand)
   */
  public Lease(ControlFiles files, Path file, Clock clock, Wording wording) {
    this.files = files;
    this.file = file;
    this.clock = clock;
    this.wording = wording;
  }

  /** Fully qualified URI of the lease file. */
  public String uri() {
    return file.toUri().toString();
  }

  /**
   * Takes the lease for {@code ttl} (renewable), breaking a stale one.
   *
   * @param purpose what the holder does, shown to anyone refused (e.g. {@code retrain})
   * @throws LeaseHeldException (the wording's) if another holder's unexpired lease is in place
   */
  public Handle tryAcquire(Duration ttl, String purpose) throws IOException {
    requirePositive(ttl);
    LeaseInfo broken = null;
    LeaseInfo seen = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LeaseInfo mine = newInfo(ttl, purpose);
      if (files.createExclusively(file, Json.pretty(mine))) {
        LOG.info("Acquired {} {} ({})", wording.noun(), file, mine.describe());
        return new Handle(mine, broken);
      }
      Optional<LeaseInfo> existing = read(ttl);
      if (existing.isEmpty()) {
        continue; // released in between: try again
      }
      seen = existing.get();
      if (!seen.isExpiredAt(clock.instant())) {
        throw refused(seen);
      }
      LOG.warn(
          "Breaking stale {} {}: held by {} (expired; the holder presumably crashed)",
          wording.noun(),
          file,
          seen.describe());
      if (removeIfSame(seen)) {
        broken = seen;
      }
    }
    throw refused(seen);
  }

  /**
   * The lease currently in place, if any. An unreadable lease file is reported with holder {@code
   * unknown} and its modification time as acquisition time (it expires one hour later).
   */
  public Optional<LeaseInfo> current() throws IOException {
    return read(Duration.ofHours(1));
  }

  /**
   * Removes the lease whoever holds it, with a WARN naming the holder. Only for a holder known to
   * be dead: a live holder would go on believing it holds the lease until its next {@link
   * Handle#verifyHeld}.
   *
   * @return the lease that was removed, empty if there was none
   */
  public Optional<LeaseInfo> breakLease() throws IOException {
    Optional<LeaseInfo> existing = current();
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    LOG.warn(
        "Breaking {} {} on request: held by {}", wording.noun(), file, existing.get().describe());
    Path aside = ControlFiles.tempSibling(file, "broken");
    if (!files.moveAside(file, aside)) {
      return Optional.empty();
    }
    files.deleteQuietly(aside);
    return existing;
  }

  /** The lease file's content, or empty if there is none. */
  private Optional<LeaseInfo> read(Duration ttlForUnreadable) throws IOException {
    Optional<byte[]> content;
    try {
      content = files.read(file);
    } catch (IOException e) {
      return Optional.of(unreadable(ttlForUnreadable, e.toString()));
    }
    if (content.isEmpty()) {
      return Optional.empty();
    }
    try {
      LeaseInfo info = READER.readValue(content.get());
      if (info == null || info.id() == null || info.expiresAt() == null) {
        return Optional.of(unreadable(ttlForUnreadable, "no id or expires_at"));
      }
      return Optional.of(info);
    } catch (JacksonException e) {
      return Optional.of(unreadable(ttlForUnreadable, e.getOriginalMessage()));
    }
  }

  /**
   * A stand-in for a lease file that exists but cannot be parsed: it expires ttl after its mtime.
   */
  private LeaseInfo unreadable(Duration ttl, String why) throws IOException {
    Instant modified;
    try {
      modified = Instant.ofEpochMilli(files.fs().getFileStatus(file).getModificationTime());
    } catch (FileNotFoundException e) {
      modified = clock.instant();
    }
    return new LeaseInfo(
        "unknown",
        -1,
        "unreadable",
        "unreadable " + wording.noun() + " file (" + why + ")",
        modified.toString(),
        modified.plus(ttl).toString());
  }

  /**
   * Removes the lease file if it still is {@code expected}: renames it aside, compares, and puts it
   * back if it is another holder's.
   */
  private boolean removeIfSame(LeaseInfo expected) throws IOException {
    Path aside = ControlFiles.tempSibling(file, "release");
    if (!files.moveAside(file, aside)) {
      return false;
    }
    LeaseInfo moved = readAside(aside);
    if (moved != null && Objects.equals(moved.id(), expected.id())) {
      files.deleteQuietly(aside);
      return true;
    }
    try {
      if (!files.moveAside(aside, file)) {
        LOG.warn("{} file {} vanished while being checked", wording.noun(), aside);
      }
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      LOG.warn(
          "Could not put back the {} of {} ({}): {} was taken meanwhile",
          wording.noun(),
          moved == null ? "an unknown holder" : moved.describe(),
          aside,
          file);
      files.deleteQuietly(aside);
    }
    return false;
  }

  /**
   * The lease renamed aside; an unparsable one gets the id {@code unreadable}, as in {@link #read}.
   */
  private LeaseInfo readAside(Path aside) {
    LeaseInfo unreadable = new LeaseInfo("unknown", -1, "unreadable", null, null, null);
    try {
      LeaseInfo info = READER.readValue(files.read(aside).orElse(new byte[0]));
      return info == null || info.id() == null || info.expiresAt() == null ? unreadable : info;
    } catch (IOException e) {
      return unreadable;
    }
  }

  private LeaseHeldException refused(LeaseInfo holder) {
    return wording.exception(wording.refusal(holder, file), holder);
  }

  private LeaseInfo newInfo(Duration ttl, String purpose) {
    String host = hostName(); // before reading the clock: the first lookup can take seconds
    Instant now = clock.instant();
    return new LeaseInfo(
        host,
        ProcessHandle.current().pid(),
        UUID.randomUUID().toString(),
        purpose,
        now.toString(),
        now.plus(ttl).toString());
  }

  private static void requirePositive(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("Lease time-to-live must be positive, got " + ttl);
    }
  }

  /** This host's name, looked up once per JVM (a lookup can wait seconds for DNS). */
  public static String hostName() {
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
   * A held lease. {@link #close()} releases it if it is still this holder's (a lease broken and
   * taken over by another process is left alone).
   */
  public final class Handle implements AutoCloseable {
    private volatile LeaseInfo info;
    private final LeaseInfo brokenStale;
    private volatile boolean released;

    private Handle(LeaseInfo info, LeaseInfo brokenStale) {
      this.info = info;
      this.brokenStale = brokenStale;
    }

    /** This holder's lease content. */
    public LeaseInfo info() {
      return info;
    }

    /** The stale lease broken to acquire this one, if any. */
    public Optional<LeaseInfo> brokenStale() {
      return Optional.ofNullable(brokenStale);
    }

    /**
     * Checks that the lease file is still this holder's.
     *
     * @throws LeaseHeldException (the wording's) if it was released, broken or taken over
     */
    public void verifyHeld() throws IOException {
      if (released) {
        throw wording.exception(
            "The " + wording.noun() + " on " + wording.subject() + " was already released", null);
      }
      Optional<LeaseInfo> now = read(Duration.ofHours(1));
      if (now.isEmpty() || !info.id().equals(now.get().id())) {
        throw wording.exception(
            String.format(
                "Lost the %s on %s (%s id %s): the %s file %s %s",
                wording.noun(),
                wording.subject(),
                wording.noun(),
                info.id(),
                wording.noun(),
                file,
                now.isEmpty() ? "is gone (broken?)" : "now names " + now.get().describe()),
            now.orElse(null));
      }
    }

    /**
     * Extends the lease to {@code ttl} from now.
     *
     * @throws LeaseHeldException (the wording's) if the lease is no longer this holder's
     */
    public void renew(Duration ttl) throws IOException {
      renew(ttl, info.application());
    }

    /**
     * Extends the lease to {@code ttl} from now, naming the holder's Spark application.
     *
     * @throws LeaseHeldException (the wording's) if the lease is no longer this holder's
     */
    public void renew(Duration ttl, String applicationId) throws IOException {
      requirePositive(ttl);
      verifyHeld();
      LeaseInfo renewed = info.expiringAt(clock.instant().plus(ttl)).withApplication(applicationId);
      files.replace(file, Json.pretty(renewed));
      info = renewed;
    }

    /** Releases the lease if it is still this holder's; idempotent. */
    @Override
    public void close() throws IOException {
      if (released) {
        return;
      }
      released = true;
      if (removeIfSame(info)) {
        LOG.info("Released {} {}", wording.noun(), file);
      } else {
        LOG.warn(
            "{} {} was no longer ours ({} id {}) at release: it was broken or taken over;"
                + " removed nothing",
            wording.noun(),
            file,
            wording.noun(),
            info.id());
      }
    }
  }
}
