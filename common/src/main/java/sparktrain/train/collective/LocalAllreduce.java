package sparktrain.train.collective;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

/**
 * Ranks that share one JVM average through shared memory (no sockets).
 *
 * <p>A call is two barriers: every rank publishes its array and waits for the others; then rank
 * {@code r} computes chunk {@code r} of the result, summing the ranks' arrays in rank order (in
 * float) and dividing by {@code size}, and writes it into every rank's array; the second barrier
 * waits until all chunks are written. Each element is computed once, so every rank ends with the
 * same bits, independent of arrival order.
 *
 * <p>Group ids are global in the JVM: use one per group instance (e.g. stage id and attempt).
 */
public final class LocalAllreduce implements Allreduce {
  private static final ConcurrentMap<String, LocalGroup> GROUPS = new ConcurrentHashMap<>();
  private static final int BLOCK = 2048;

  private final LocalGroup group;
  private final int rank;
  private final Limits limits;
  private final float[] block;
  private volatile boolean closed;
  private CollectiveException failure;

  private LocalAllreduce(LocalGroup group, int rank, Limits limits) {
    this.group = group;
    this.rank = rank;
    this.limits = limits;
    this.block = new float[group.size == 1 ? 0 : BLOCK];
  }

  /**
   * Joins (or creates) the in-JVM group groupId of size ranks; the group is removed when all ranks
   * closed it or when any rank fails. timeout bounds waiting for the other ranks in join and in
   * every mean().
   *
   * @throws CollectiveException when the other ranks do not join within timeout, the group has
   *     another size or already has this rank, or the thread is interrupted
   */
  public static LocalAllreduce join(String groupId, int rank, int size, Duration timeout) {
    return join(groupId, rank, size, timeout, () -> false);
  }

  /**
   * {@link #join(String, int, int, Duration)} that also stops, within 100 ms, when {@code
   * cancelled} turns true, in join and in every later mean() (failing the group): pass {@code
   * TaskContext.get()::isInterrupted} in a Spark task.
   */
  public static LocalAllreduce join(
      String groupId, int rank, int size, Duration timeout, BooleanSupplier cancelled) {
    Objects.requireNonNull(groupId, "groupId");
    Limits limits = Limits.of(timeout, cancelled);
    if (size < 1 || rank < 0 || rank >= size) {
      throw new IllegalArgumentException("rank " + rank + " out of range for size " + size);
    }
    LocalGroup group =
        GROUPS.computeIfAbsent(
            groupId, id -> new LocalGroup(id, size, g -> GROUPS.remove(g.id, g)));
    group.join(rank, size, limits);
    return new LocalAllreduce(group, rank, limits);
  }

  /** Whether group {@code groupId} exists (tests). */
  static boolean exists(String groupId) {
    return GROUPS.containsKey(groupId);
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return group.size;
  }

  @Override
  public void mean(float[] data) {
    Objects.requireNonNull(data, "data");
    if (closed) {
      throw new CollectiveException("rank " + rank + ": mean() on a closed group");
    }
    if (failure != null) {
      throw new CollectiveException(
          "rank " + rank + ": the group failed earlier: " + failure.getMessage(), failure);
    }
    boolean ok = false;
    try {
      String stop = limits.stopReason();
      if (stop != null) {
        throw group.fail(rank, stop + " in mean()");
      }
      if (group.size == 1) {
        ok = true;
        return;
      }
      float[][] arrays = group.arrive(rank, data, limits);
      for (int r = 0; r < arrays.length; r++) {
        if (arrays[r].length != data.length) {
          throw group.fail(
              rank,
              "length mismatch: rank "
                  + rank
                  + " has "
                  + data.length
                  + " floats, rank "
                  + r
                  + " has "
                  + arrays[r].length);
        }
      }
      reduceChunk(arrays);
      group.depart(rank, limits);
      ok = true;
    } catch (CollectiveException e) {
      failure = e;
      throw e;
    } finally {
      if (!ok && failure == null) { // an unexpected error: the others must not wait for this rank
        failure = group.fail(rank, "mean() failed unexpectedly");
      }
    }
  }

  /** Mean of chunk {@code rank}, written into every rank's array. */
  private void reduceChunk(float[][] arrays) {
    int n = arrays[0].length;
    int size = arrays.length;
    int from = (int) ((long) rank * n / size);
    int to = (int) ((long) (rank + 1) * n / size);
    float div = size;
    float[] acc = block;
    for (int b = from; b < to; b += BLOCK) {
      int len = Math.min(BLOCK, to - b);
      System.arraycopy(arrays[0], b, acc, 0, len);
      for (int r = 1; r < size; r++) {
        float[] a = arrays[r];
        for (int j = 0; j < len; j++) {
          acc[j] += a[b + j];
        }
      }
      for (int j = 0; j < len; j++) {
        acc[j] /= div;
      }
      for (float[] a : arrays) {
        System.arraycopy(acc, 0, a, b, len);
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      group.close(rank);
    }
  }
}
