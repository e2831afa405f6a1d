package sparktrain.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Where a run keeps the minibatches it scores after every epoch (test and validation): serialized
 * in memory when the split is small next to the memory of one executor (an eighth of it, as
 * float32), else serialized on disk.
 *
 * <p>Why not always memory (with Spark dropping what does not fit): Spark unrolls a cached
 * partition into memory and checks its budget only every 16 records, and a scoring minibatch is
 * {@code evaluation.batch-size} examples (2,048 by default: 8 MB for 1,000 features). A 1.1M-row
 * test split of a 22 GB table ran a 2 GiB heap out of memory that way; on disk the records are
 * written as they come.
 */
final class ScoringCache {
  /** The share of one executor's memory a split may take in memory. */
  static final int MEMORY_SHARE_DIVISOR = 8;

  private ScoringCache() {}

  /**
   * @param examples the split's examples
   * @param width values per example
   */
  static StorageLevel level(JavaSparkContext sc, long examples, int width) {
    return level(examples, width, executorMemory(sc));
  }

  static StorageLevel level(long examples, int width, long executorMemory) {
    long bytes = examples * Math.max(1, width) * (long) Float.BYTES;
    return bytes <= executorMemory / MEMORY_SHARE_DIVISOR
        ? StorageLevel.MEMORY_ONLY_SER()
        : StorageLevel.DISK_ONLY();
  }

  /** The heap of one executor: the driver's own in {@code local[N]}. */
  static long executorMemory(JavaSparkContext sc) {
    if (sc.master().startsWith("local")) {
      return Runtime.getRuntime().maxMemory();
    }
    return sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
  }
}
