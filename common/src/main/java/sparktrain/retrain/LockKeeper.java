package sparktrain.retrain;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.registry.RegistryLock;
import sparktrain.registry.RegistryLockedException;

/**
 * Keeps a registry lock alive while a long operation runs: renews it every third of its
 * time-to-live on a daemon thread. A failed renewal (the lock was broken or taken over) is kept and
 * rethrown by {@link #check()}, which callers run before they publish anything.
 *
 * <p>A renewal and a check never overlap: on the local file system a renewal replaces the lock file
 * and its checksum file one after the other, and a read in between sees a checksum error (an
 * "unreadable" lock, which would count as lost).
 */
final class LockKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LockKeeper.class);

  private final RegistryLock.Handle handle;
  private final ScheduledExecutorService timer;
  private final AtomicReference<IOException> lost = new AtomicReference<>();

  LockKeeper(RegistryLock.Handle handle, Duration ttl) {
    this(handle, ttl, Duration.ofMillis(Math.max(1000, ttl.toMillis() / 3)));
  }

  /** Renews every {@code period} instead (tests: a short period and a clock moved by hand). */
  LockKeeper(RegistryLock.Handle handle, Duration ttl, Duration period) {
    this.handle = handle;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-lock-renewal");
              t.setDaemon(true);
              return t;
            });
    long millis = period.toMillis();
    timer.scheduleWithFixedDelay(() -> renew(ttl), millis, millis, TimeUnit.MILLISECONDS);
  }

  private synchronized void renew(Duration ttl) {
    if (lost.get() != null) {
      return;
    }
    try {
      handle.renew(ttl);
    } catch (RegistryLockedException e) {
      LOG.error("Lost the registry lock: {}", e.getMessage());
      lost.set(e);
    } catch (IOException | RuntimeException e) {
      // A transient file system error: the lock is still ours until it expires; try again.
      LOG.warn("Could not renew the registry lock (will retry): {}", e.toString());
    }
  }

  /**
   * Checks that the lock is still held: no renewal found it lost, and the lock file names us.
   *
   * @throws RegistryLockedException if the lock was lost
   */
  synchronized void check() throws IOException {
    IOException e = lost.get();
    if (e != null) {
      throw e;
    }
    handle.verifyHeld();
  }

  /** Stops renewing (the caller then releases the lock). */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
