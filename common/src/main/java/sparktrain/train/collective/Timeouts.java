package sparktrain.train.collective;

import java.time.Duration;
import java.util.Locale;
import org.apache.spark.TaskContext;

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

  /** Longest single wait before the cancellation checks run again. */
  static final long SLICE_NANOS = 100_000_000L;

  /**
   * Whether the calling thread should give up: it was interrupted, or it runs a Spark task that
   * Spark has marked killed. Spark kills the other tasks of a failed barrier stage without
   * interrupting their threads (it only marks their {@code TaskContext}), so a wait for a dead peer
   * has to look at the mark to end before its timeout.
   */
  static boolean cancelled() {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    TaskContext task = TaskContext.get();
    return task != null && task.isInterrupted();
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
