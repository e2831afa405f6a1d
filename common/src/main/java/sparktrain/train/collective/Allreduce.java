package sparktrain.train.collective;

/**
 * Element-wise mean of float arrays over a fixed group of ranks. Not thread-safe per instance: one
 * thread per rank calls {@link #mean}; {@link #close} may come from any thread.
 *
 * <p>Implementations: {@link RingAllreduce} (TCP between ranks, any JVMs) and {@link
 * LocalAllreduce} (ranks that share one JVM).
 */
public interface Allreduce extends AutoCloseable {
  /** This rank, in {@code [0, size())}. */
  int rank();

  /** Number of ranks in the group. */
  int size();

  /**
   * Replaces data, in place, by the element-wise mean over all ranks. Every rank calls it the same
   * number of times with arrays of the same length (any length >= 0, not necessarily divisible by
   * size). Blocks until done. Throws CollectiveException on timeout, peer failure/disconnect,
   * length mismatch, or thread interruption — never hangs beyond the configured timeout.
   *
   * <p>Every rank ends with bit-identical values. After an exception the contents of data are
   * undefined (partly averaged) and the group is unusable: every later call throws too.
   *
   * @throws CollectiveException as described above
   */
  void mean(float[] data);

  /** Leaves the group and releases its resources; idempotent, never throws. */
  @Override
  void close();
}
