package sparktrain.train.collective;

import java.time.Duration;
import java.util.Locale;

/** Checks and prints the timeouts of the collectives. */
final class Timeouts {
  private Timeouts() {}

  /** {@code timeout} in nanoseconds; it must be positive. */
  static long nanos(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code nanos} for messages: "30 s", "2.5 s", "150 ms". */
  static String text(long nanos) {
    if (nanos < 1_000_000_000L) {
      return Math.round(nanos / 1e6) + " ms";
    }
    double s = nanos / 1e9;
    return s == Math.rint(s)
        ? String.format(Locale.ROOT, "%.0f s", s)
        : String.format(Locale.ROOT, "%.1f s", s);
  }
}
