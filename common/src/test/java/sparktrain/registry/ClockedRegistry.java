package sparktrain.registry;

import java.io.IOException;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;

/**
 * Opens a {@link ModelRegistry} whose locks read the time from a given clock, for tests outside
 * this package (e.g. a {@link sparktrain.testing.MutableClock} moved past a lock's expiry).
 */
public final class ClockedRegistry {
  private ClockedRegistry() {}

  /** The registry at {@code uri}, its lock times taken from {@code clock}. */
  public static ModelRegistry open(String uri, Configuration conf, Clock clock) throws IOException {
    return ModelRegistry.open(uri, conf, clock);
  }
}
