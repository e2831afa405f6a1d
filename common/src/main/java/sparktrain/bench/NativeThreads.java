package sparktrain.bench;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets the BLAS thread count for a while and restores it when closed.
 *
 * <p>The launcher runs Spark tasks with one native thread each ({@code OMP_NUM_THREADS=1}: two
 * tasks on two cores); a single-process run in the same JVM should use every core, as it would on
 * its own. Only BLAS (where an MLP spends its time) can be changed at run time: libnd4j sizes its
 * OpenMP pool once, from {@code OMP_NUM_THREADS}, and ignores later requests.
 */
final class NativeThreads implements AutoCloseable {
  private final int blasThreads;

  private NativeThreads() {
    this.blasThreads = Nd4j.factory().blas().getMaxThreads();
  }

  /** Uses {@code threads} BLAS threads until {@link #close()}. */
  static NativeThreads useBlas(int threads) {
    NativeThreads previous = new NativeThreads();
    Nd4j.factory().blas().setMaxThreads(threads);
    return previous;
  }

  /** The current settings, for the record: {@code omp=N master=N blas=N}. */
  static String describe() {
    return "omp="
        + Nd4j.getEnvironment().maxThreads()
        + " master="
        + Nd4j.getEnvironment().maxMasterThreads()
        + " blas="
        + Nd4j.factory().blas().getMaxThreads();
  }

  @Override
  public void close() {
    Nd4j.factory().blas().setMaxThreads(blasThreads);
  }
}
