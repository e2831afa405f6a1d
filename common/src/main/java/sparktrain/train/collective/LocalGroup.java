package sparktrain.train.collective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The shared state of one {@link LocalAllreduce} group: the ranks' arrays of the current call and a
 * barrier with a timeout that fails for everyone at once.
 *
 * <p>The first failure (a timeout, an interrupted rank, a length mismatch, a rank that closed while
 * others wait) is permanent: every waiting and every later call throws at once with its reason.
 */
final class LocalGroup {
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(Limits.SLICE_MS);

  final String id;
  final int size;
  private final Consumer<LocalGroup> onRemove;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final boolean[] joined;
  private final boolean[] arrived;
  private final boolean[] closed;
  private final float[][] slots;
  private int joinedCount;
  private int arrivedCount;
  private int closedCount;
  private long generation;
  private String failure;

  LocalGroup(String id, int size, Consumer<LocalGroup> onRemove) {
    this.id = id;
    this.size = size;
    this.onRemove = onRemove;
    joined = new boolean[size];
    arrived = new boolean[size];
    closed = new boolean[size];
    slots = new float[size][];
  }

  /** Registers {@code rank}, then waits until every rank joined. */
  void join(int rank, int size, Limits limits) {
    lock.lock();
    try {
      if (size != this.size) {
        throw failLocked(
            rank, "group '" + id + "' has size " + this.size + ", this rank asked for " + size);
      }
      checkFailed(rank);
      if (joined[rank]) {
        throw new CollectiveException(
            "rank " + rank + ": rank " + rank + " already joined group '" + id + "'");
      }
      joined[rank] = true;
      joinedCount++;
      changed.signalAll();
      long deadline = System.nanoTime() + limits.timeoutNanos();
      long left = limits.timeoutNanos();
      while (joinedCount < size) {
        checkFailed(rank);
        if (left <= 0) {
          throw failLocked(
              rank,
              "ranks "
                  + missing(joined)
                  + " did not join group '"
                  + id
                  + "' within "
                  + limits.timeoutText());
        }
        left = waitSlice(rank, deadline, limits, "join");
      }
    } finally {
      lock.unlock();
    }
  }

  /** Publishes {@code data} as this rank's array of the call, then waits for every rank. */
  float[][] arrive(int rank, float[] data, Limits limits) {
    lock.lock();
    try {
      slots[rank] = data;
      await(rank, limits, "mean()");
      checkFailed(rank); // a failure right after the barrier opened nulls the slots
      return slots.clone();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every rank finished its share of the call. */
  void depart(int rank, Limits limits) {
    lock.lock();
    try {
      await(rank, limits, "mean() (finishing)");
    } finally {
      lock.unlock();
    }
  }

  private void await(int rank, Limits limits, String where) {
    checkFailed(rank);
    for (int r = 0; r < size; r++) {
      if (closed[r]) {
        throw failLocked(rank, "rank " + r + " closed the group before " + where);
      }
    }
    long gen = generation;
    arrived[rank] = true;
    if (++arrivedCount == size) {
      arrivedCount = 0;
      Arrays.fill(arrived, false);
      generation++;
      changed.signalAll();
      return;
    }
    long deadline = System.nanoTime() + limits.timeoutNanos();
    long left = limits.timeoutNanos();
    while (generation == gen) {
      checkFailed(rank);
      if (left <= 0) {
        throw failLocked(
            rank,
            "ranks "
                + missing(arrived)
                + " did not reach "
                + where
                + " within "
                + limits.timeoutText());
      }
      left = waitSlice(rank, deadline, limits, where);
    }
  }

  /**
   * Waits for a change for one slice at most, then checks the stop signals (a stop fails the
   * group); returns the nanoseconds left before {@code deadline}.
   */
  private long waitSlice(int rank, long deadline, Limits limits, String where) {
    long left = deadline - System.nanoTime();
    try {
      changed.awaitNanos(Math.min(left, SLICE_NANOS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failLocked(rank, "interrupted in " + where);
    }
    String stop = limits.stopReason();
    if (stop != null) {
      throw failLocked(rank, stop + " in " + where);
    }
    return deadline - System.nanoTime();
  }

  /** Marks the group failed because of {@code rank}; returns that rank's exception. */
  CollectiveException fail(int rank, String what) {
    lock.lock();
    try {
      return failLocked(rank, what);
    } finally {
      lock.unlock();
    }
  }

  private CollectiveException failLocked(int rank, String what) {
    String message = "rank " + rank + ": " + what;
    if (failure == null) {
      failure = message;
      Arrays.fill(slots, null);
      changed.signalAll();
      onRemove.accept(this);
    }
    return new CollectiveException(message);
  }

  private void checkFailed(int rank) {
    if (failure != null) {
      throw new CollectiveException("rank " + rank + ": group '" + id + "' failed: " + failure);
    }
  }

  /** {@code rank} leaves; ranks waiting for it fail now, and the last one out removes the group. */
  void close(int rank) {
    lock.lock();
    try {
      if (closed[rank]) {
        return;
      }
      closed[rank] = true;
      closedCount++;
      slots[rank] = null;
      if (failure == null && (arrivedCount > 0 || joinedCount < size)) {
        failLocked(rank, "closed while other ranks wait for it");
      } else if (closedCount == size) {
        onRemove.accept(this);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<Integer> missing(boolean[] present) {
    List<Integer> m = new ArrayList<>();
    for (int r = 0; r < size; r++) {
      if (!present[r]) {
        m.add(r);
      }
    }
    return m;
  }
}
