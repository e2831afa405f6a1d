package sparktrain.registry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import sparktrain.io.ControlFiles;
import sparktrain.lease.Lease;
import sparktrain.lease.LeaseHeldException;
import sparktrain.lease.LeaseInfo;

/**
 * One writer per model at a time: the {@link Lease} file {@code <registry>/<name>/LOCK}. A holder
 * refused or a lock lost is a {@link RegistryLockedException} whose message points at {@code
 * --break-lock}. See {@link Lease} for how a stale lock is broken and a lock never deleted by the
 * wrong holder.
 */
public final class RegistryLock {
  /** Name of the lock file in the model's registry directory. */
  public static final String FILE_NAME = "LOCK";

  private final Lease lease;

  RegistryLock(ControlFiles files, Path modelDir, String registryUri, Clock clock) {
    this.lease = new Lease(files, new Path(modelDir, FILE_NAME), clock, new Words(registryUri));
  }

  /** Fully qualified URI of the lock file. */
  public String uri() {
    return lease.uri();
  }

  /** Same as {@link #tryAcquire(Duration, String)} with purpose {@code "sparktrain"}. */
  public Lease.Handle tryAcquire(Duration ttl) throws IOException {
    return tryAcquire(ttl, "sparktrain");
  }

  /**
   * Takes the lock for {@code ttl} (renewable), breaking a stale one.
   *
   * @param purpose what the holder does, shown to anyone refused (e.g. {@code retrain})
   * @throws RegistryLockedException if another holder's unexpired lock is in place
   */
  public Lease.Handle tryAcquire(Duration ttl, String purpose) throws IOException {
    return lease.tryAcquire(ttl, purpose);
  }

  /**
   * The lock currently in place, if any. An unreadable lock file is reported with holder {@code
   * unknown} and its modification time as acquisition time (it expires one hour later).
   */
  public Optional<LeaseInfo> current() throws IOException {
    return lease.current();
  }

  /**
   * Removes the lock whoever holds it ({@code --break-lock}), with a WARN naming the holder. Only
   * for a holder known to be dead.
   *
   * @return the lock that was removed, empty if there was none
   */
  public Optional<LeaseInfo> breakLock() throws IOException {
    return lease.breakLease();
  }

  /** The registry's wording of its lock. */
  private record Words(String registryUri) implements Lease.Wording {
    @Override
    public String noun() {
      return "lock";
    }

    @Override
    public String subject() {
      return "model registry " + registryUri;
    }

    @Override
    public String refusal(LeaseInfo holder, Path file) {
      return String.format(
          "Model registry %s is locked by %s (lock file %s). Another retrain, promotion or"
              + " rollback of this model is running; wait for it to finish. If that process is"
              + " dead, rerun with --break-lock (or wait until the lock expires).",
          registryUri, holder == null ? "another process" : holder.describe(), file);
    }

    @Override
    public LeaseHeldException exception(String message, LeaseInfo holder) {
      return new RegistryLockedException(message, holder);
    }
  }
}
