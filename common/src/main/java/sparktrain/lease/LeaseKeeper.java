package sparktrain.lease;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Lease} alive while a long operation runs (the heartbeat): renews it every third of
 * its time-to-live on a daemon thread. A failed renewal (the lease was broken or taken over) is
 * kept and rethrown by {@link #check()}, which callers run before they publish anything.
 *
 * <p>A renewal and a check never overlap: on the local file system a renewal replaces the lease
 * file and its checksum file one after the other, and a read in between sees a checksum error (an
 * "unreadable" lease, which would count as lost).
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Lease.Handle handle;
  private final Duration ttl;
  private final ScheduledExecutorService timer;
  private final AtomicReference<IOException> lost = new AtomicReference<>();
  private volatile String application;

  /** Renews {@code handle} to {@code ttl} every third of {@code ttl} (at least every second). */
  public LeaseKeeper(Lease.Handle handle, Duration ttl) {
    this(handle, ttl, Duration.ofMillis(Math.max(1000, ttl.toMillis() / 3)));
  }

  /** Renews every {@code period} instead (tests: a short period and a clock moved by hand). */
  public LeaseKeeper(Lease.Handle handle, Duration ttl, Duration period) {
    this.handle = handle;
    this.ttl = ttl;
    this.application = handle.info().application();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-renewal");
              t.setDaemon(true);
              return t;
            });
    long millis = period.toMillis();
    timer.scheduleWithFixedDelay(this::renew, millis, millis, TimeUnit.MILLISECONDS);
  }

  private synchronized void renew() {
    if (lost.get() != null) {
      return;
    }
    try {
      handle.renew(ttl, application);
    } catch (LeaseHeldException e) {
      LOG.error("Lost the lease: {}", e.getMessage());
      lost.set(e);
    } catch (IOException | RuntimeException e) {
      // A transient file system error: the lease is still ours until it expires; try again.
      LOG.warn("Could not renew the lease {} (will retry): {}", handle.info().id(), e.toString());
    }
  }

  /**
   * Names the holder's Spark application in the lease file from now on (renews it at once).
   *
   * @throws LeaseHeldException if the lease was lost
   */
  public synchronized void recordApplication(String applicationId) throws IOException {
    check();
    application = applicationId;
    handle.renew(ttl, applicationId);
  }

  /**
   * Checks that the lease is still held: no renewal found it lost, and the lease file names us.
   *
   * @throws LeaseHeldException if the lease was lost
   */
  public synchronized void check() throws IOException {
    IOException e = lost.get();
    if (e != null) {
      throw e;
    }
    handle.verifyHeld();
  }

  /** Stops renewing (the caller then releases the lease). */
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
