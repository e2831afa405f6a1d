package sparktrain.runtime;

import org.apache.spark.SparkConf;

/**
 * How glibc's malloc serves ND4J's off-heap arrays in sparktrain's JVMs: buffers of {@value
 * #MMAP_THRESHOLD} bytes or more get their own memory mapping, returned to the system when the
 * array is freed ({@code MALLOC_MMAP_THRESHOLD_}).
 *
 * <p>Without it glibc raises its threshold after the first large free and serves the scoring
 * minibatches (a few MB each) from its heap, where freed ones were not handed back: {@code train}
 * on a 22 GB table with the launcher's default memory peaked at 6.6 GB of RSS, 4 GB of it in the
 * last scoring of the 1.1M-row test split; with the threshold it peaked at 2.6 GB, in the same
 * time. Minibatches for fitting are far smaller and stay on glibc's heap. The launcher exports it
 * for its JVM (driver and, in {@code local[N]}, the executors); {@link #applyTo} passes it to the
 * executors of a cluster. A value the user set is kept; on other C libraries the variable means
 * nothing.
 */
public final class NativeAllocator {
  /** The environment variable glibc reads at process start. */
  public static final String MMAP_THRESHOLD_ENV = "MALLOC_MMAP_THRESHOLD_";

  /** 2 MiB: a scoring minibatch of 1,024 rows is mapped from about 512 features on. */
  public static final String MMAP_THRESHOLD = "2097152";

  private NativeAllocator() {}

  /** Sets the executors' {@value #MMAP_THRESHOLD_ENV} unless the configuration already does. */
  public static void applyTo(SparkConf conf) {
    conf.setIfMissing("spark.executorEnv." + MMAP_THRESHOLD_ENV, MMAP_THRESHOLD);
  }
}
