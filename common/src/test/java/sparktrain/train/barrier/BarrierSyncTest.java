package sparktrain.train.barrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.junit.jupiter.api.Test;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;
import sparktrain.testing.LocalSparkTestBase;

/**
 * {@link BarrierSync#allGather} in a real barrier stage: every task gets every task's message in
 * partition order, the task that arrived first was woken from Spark's one-second sleep instead of
 * sleeping it out, and no interrupt is left on the task thread afterwards.
 */
class BarrierSyncTest extends LocalSparkTestBase {

  @Test
  void everyTaskGetsAllMessagesAndNoInterruptIsLeftBehind() {
    long before = BarrierSync.nudges();
    List<String> results =
        sc.parallelize(List.of(0, 1), 2)
            .rdd()
            .barrier()
            .mapPartitions(new Gather(), false, scala.reflect.ClassTag$.MODULE$.apply(String.class))
            .toJavaRDD()
            .collect();

    assertThat(results)
        .containsExactly("0: [m0, m1] interrupted=false", "1: [m0, m1] interrupted=false");
    // task 0 waited 300 ms for task 1 inside Spark's sleep loop: it was nudged, not left to sleep
    assertThat(BarrierSync.nudges() - before).isPositive();
  }

  /** Task 1 arrives 300 ms after task 0; both gather "m" + partition. */
  private static final class Gather extends AbstractFunction1<Iterator<Integer>, Iterator<String>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<String> apply(Iterator<Integer> it) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      if (ctx.partitionId() == 1) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      String[] all = BarrierSync.allGather(ctx, "m" + ctx.partitionId());
      String line =
          ctx.partitionId()
              + ": "
              + List.of(all)
              + " interrupted="
              + Thread.currentThread().isInterrupted();
      // JavaConverters: the Scala 2.12 line has no scala.jdk.javaapi
      return scala.collection.JavaConverters.asScalaIteratorConverter(List.of(line).iterator())
          .asScala();
    }
  }
}
