package sparktrain.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.registry.ClockedRegistry;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegistryLockedException;
import sparktrain.testing.MutableClock;

/**
 * The keeper's renewals on a registry lock whose clock the test moves: past the first expiry only a
 * renewal keeps the lock, and a broken lock is reported. No sleeping: the keeper renews every few
 * milliseconds and the test waits for the renewal it needs.
 */
class LeaseKeeperTest {
  private static final Duration TTL = Duration.ofMinutes(10);

  @TempDir Path tmp;

  @Test
  void renewsTheLockBeforeItExpiresAndReportsALostOne() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ModelRegistry registry =
        ClockedRegistry.open(tmp.resolve("reg/m").toString(), new Configuration(), clock);
    try (Lease.Handle handle = registry.lock().tryAcquire(TTL, "test");
        LeaseKeeper keeper = new LeaseKeeper(handle, TTL, Duration.ofMillis(10))) {
      Instant firstExpiry = Instant.parse(handle.info().expiresAt());
      assertThat(firstExpiry).isEqualTo(clock.instant().plus(TTL));

      clock.advance(TTL.plusMinutes(1)); // past the first expiry: only renewals keep it
      Instant movedNow = clock.instant();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Instant.parse(handle.info().expiresAt()).equals(movedNow.plus(TTL)));

      keeper.check();
      keeper.close(); // no renewal while the test reads the lock file itself
      Instant expiry = Instant.parse(registry.lock().current().orElseThrow().expiresAt());
      assertThat(expiry).as("renewed to a TTL from the moved clock").isEqualTo(movedNow.plus(TTL));
      assertThat(expiry).isAfter(firstExpiry).isAfter(clock.instant());

      registry.lock().breakLock();
      assertThatThrownBy(keeper::check).isInstanceOf(RegistryLockedException.class);
    }
  }
}
