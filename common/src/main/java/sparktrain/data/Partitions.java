package sparktrain.data;

import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/** Order-keeping operations on distributed examples. */
final class Partitions {
  private Partitions() {}

  /** The first {@code limit} examples in partition order (all when {@code limit} is 0). */
  static JavaRDD<Example> first(JavaRDD<Example> examples, int limit) {
    if (limit <= 0) {
      return examples;
    }
    return examples.zipWithIndex().filter(t -> t._2() < limit).map(Tuple2::_1);
  }

  /**
   * The examples at positions {@code [offset, offset + limit)} in partition order ({@code limit} 0:
   * to the end); {@link #first} when {@code offset} is 0.
   */
  static JavaRDD<Example> range(JavaRDD<Example> examples, int offset, int limit) {
    if (offset <= 0) {
      return first(examples, limit);
    }
    long end = limit <= 0 ? Long.MAX_VALUE : (long) offset + limit;
    return examples.zipWithIndex().filter(t -> t._2() >= offset && t._2() < end).map(Tuple2::_1);
  }

  /**
   * The same examples in the same order, in {@code partitions} contiguous ranges (by a sort on the
   * position, so deterministic, unlike {@code repartition}); unchanged if the count already fits.
   */
  static JavaRDD<Example> ordered(JavaRDD<Example> examples, int partitions) {
    if (examples.getNumPartitions() == partitions) {
      return examples;
    }
    return examples
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .sortByKey(true, partitions)
        .values();
  }
}
