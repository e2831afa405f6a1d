package sparktrain.train.collective;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What bounds every wait of a collective: the timeout, and the stop signals checked at least every
 * {@value #SLICE_MS} ms: the thread's interrupt flag and an optional cancellation check (in Spark,
 * {@code TaskContext::isInterrupted}: Spark kills the other tasks of a failed barrier stage without
 * interrupting their threads unless the job asks for it).
 */
record Limits(long timeoutNanos, BooleanSupplier cancelled) {
  /** Longest single wait between two checks, in milliseconds. */
  static final long SLICE_MS = 100;

  static Limits of(Duration timeout, BooleanSupplier cancelled) {
    return new Limits(Timeouts.nanos(timeout), Objects.requireNonNull(cancelled, "cancelled"));
  }

  /** Why the caller must stop now ("interrupted", "cancelled"), or null to go on. */
  String stopReason() {
    if (Thread.currentThread().isInterrupted()) {
      return "interrupted";
    }
    return cancelled.getAsBoolean() ? "cancelled" : null;
  }

  /** The timeout for messages ("30 s"). */
  String timeoutText() {
    return Timeouts.text(timeoutNanos);
  }
}
