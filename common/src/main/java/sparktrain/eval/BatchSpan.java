package sparktrain.eval;

import java.io.Serializable;

/**
 * When scoring ran on the executors: the wall-clock time (epoch milliseconds) at which the first
 * minibatch of any partition started to be read and the last one was scored, mergeable across
 * partitions. Its {@link #seconds()} is the scoring time without the job's start-up (driver work,
 * task scheduling before the first minibatch) and wind-down. A class, not a record: task results
 * travel with Kryo.
 */
public final class BatchSpan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No minibatch. */
  public static final BatchSpan NONE = new BatchSpan(Long.MAX_VALUE, Long.MIN_VALUE);

  private final long firstMillis;
  private final long lastMillis;

  /**
   * @param firstMillis start of the earliest minibatch ({@code Long.MAX_VALUE}: none)
   * @param lastMillis end of the latest minibatch ({@code Long.MIN_VALUE}: none)
   */
  public BatchSpan(long firstMillis, long lastMillis) {
    this.firstMillis = firstMillis;
    this.lastMillis = lastMillis;
  }

  /** Start of the earliest minibatch, epoch milliseconds. */
  public long firstMillis() {
    return firstMillis;
  }

  /** End of the latest minibatch, epoch milliseconds. */
  public long lastMillis() {
    return lastMillis;
  }

  /** The span of both. */
  public BatchSpan merge(BatchSpan other) {
    return new BatchSpan(
        Math.min(firstMillis, other.firstMillis), Math.max(lastMillis, other.lastMillis));
  }

  /** Seconds from the first minibatch to the last (NaN when there was none). */
  public double seconds() {
    return lastMillis < firstMillis ? Double.NaN : (lastMillis - firstMillis) / 1e3;
  }
}
