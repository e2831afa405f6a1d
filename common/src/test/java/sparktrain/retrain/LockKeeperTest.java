package sparktrain.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegistryLock;
import sparktrain.registry.RegistryLockedException;

class LockKeeperTest {
  @TempDir Path tmp;

  @Test
  void renewsTheLockBeforeItExpiresAndReportsALostOne() throws Exception {
    ModelRegistry registry =
        ModelRegistry.open(tmp.resolve("reg/m").toString(), new Configuration());
    Duration ttl = Duration.ofSeconds(3);
    try (RegistryLock.Handle handle = registry.lock().tryAcquire(ttl, "test");
        LockKeeper keeper = new LockKeeper(handle, ttl)) {
      Instant firstExpiry = Instant.parse(handle.info().expiresAt());

      Thread.sleep(3500); // past the first expiry: only renewals keep it

      keeper.check();
      keeper.close(); // no renewal while the test reads the lock file itself
      Instant expiry = Instant.parse(registry.lock().current().orElseThrow().expiresAt());
      assertThat(expiry).isAfter(firstExpiry);
      assertThat(expiry).isAfter(Instant.now());

      registry.lock().breakLock();
      assertThatThrownBy(keeper::check).isInstanceOf(RegistryLockedException.class);
    }
  }
}
