package sparktrain.train;

import org.apache.spark.api.java.JavaSparkContext;
import sparktrain.config.JobConfig;

/** How many workers a job trains with and how many partitions it reads its data into. */
public final class Parallelism {
  private Parallelism() {}

  /** {@code training.workers}, or Spark's default parallelism when it is 0. */
  public static int workers(JavaSparkContext sc, JobConfig config) {
    int w = config.training().workers();
    return w > 0 ? w : sc.defaultParallelism();
  }

  /** {@code data.partitions}, or one per worker when it is 0. */
  public static int partitions(JobConfig config, int workers) {
    int p = config.data().partitions();
    return p > 0 ? p : workers;
  }
}
