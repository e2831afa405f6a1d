package sparktrain.config;

import java.time.Duration;

/**
 * The {@code output} section.
 *
 * @param dir the run directory; empty for {@code runs/<workload>-<timestamp>}
 * @param leaseTtl how long the lease on an output directory lasts after its last renewal
 */
public record OutputConfig(String dir, Duration leaseTtl) {
  /** {@code output.lease-ttl} in reference.conf. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(2);

  /** The section with {@code dir} and the default lease time-to-live. */
  public OutputConfig(String dir) {
    this(dir, DEFAULT_LEASE_TTL);
  }
}
