package sparktrain.train;

import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;
import sparktrain.data.Example;

/** Seeded, reproducible shuffle of a distributed data set. */
public final class Shuffle {
  private Shuffle() {}

  /**
   * Shuffles examples across {@code partitions}: each example gets a pseudo-random key from the
   * seed and its position, and the data is sorted by it. Same seed and input = same order.
   */
  public static JavaRDD<Example> examples(JavaRDD<Example> in, long seed, int partitions) {
    return in.zipWithIndex()
        .mapToPair(t -> new Tuple2<>(mix(seed, t._2()), t._1()))
        .sortByKey(true, partitions)
        .values();
  }

  /** SplitMix64 finalizer of seed and index: a well-spread 64-bit key. */
  public static long mix(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
