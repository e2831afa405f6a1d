package sparktrain.train.barrier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;
import sparktrain.data.Example;

/**
 * Deals examples to workers: example {@code i} of the data set goes to worker {@code i mod
 * workers}, so every worker holds the same number of examples (to one) drawn from every part of the
 * data, in their original order. One shuffle, no sampling job; the result does not depend on the
 * order in which Spark fetches shuffle blocks.
 */
final class WorkerPartitions {
  private WorkerPartitions() {}

  static JavaRDD<Example> deal(JavaRDD<Example> examples, int workers) {
    return examples
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .partitionBy(new ModuloPartitioner(workers))
        .mapPartitions(
            it -> {
              List<Tuple2<Long, Example>> rows = new ArrayList<>();
              it.forEachRemaining(rows::add);
              rows.sort(Comparator.comparingLong(Tuple2::_1));
              return rows.stream().map(Tuple2::_2).iterator();
            },
            true);
  }

  /** Long key {@code i} to partition {@code i mod n}. */
  private static final class ModuloPartitioner extends HashPartitioner {
    private static final long serialVersionUID = 1L;

    ModuloPartitioner(int partitions) {
      super(partitions);
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) numPartitions());
    }
  }
}
