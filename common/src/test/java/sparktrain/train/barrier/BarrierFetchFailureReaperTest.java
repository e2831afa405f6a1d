package sparktrain.train.barrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.storage.BlockManagerId;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;
import sparktrain.testing.LocalSparkTestBase;

/**
 * A barrier stage whose task fails with {@code FetchFailed} while its sibling waits in {@code
 * allGather}: Spark alone leaves the sibling waiting (the stage never gets its slots back), the
 * reaper kills it and the stage's retry completes.
 */
class BarrierFetchFailureReaperTest extends LocalSparkTestBase {
  private static final String FAIL_ONCE = "sparktrain.test.fetchFailOnce";

  /** A barrier stage after a shuffle; task 1's first attempt fails to fetch its input. */
  private static CompletableFuture<List<Integer>> barrierStageWithOneFetchFailure() {
    System.setProperty(FAIL_ONCE, "true");
    return CompletableFuture.supplyAsync(
        () ->
            sc.parallelize(List.of(1, 2, 3, 4), 2)
                .repartition(2)
                .rdd()
                .barrier()
                .mapPartitions(
                    new FailOnceThenGather(),
                    false,
                    scala.reflect.ClassTag$.MODULE$.apply(Integer.class))
                .toJavaRDD()
                // a shuffle map stage, as in BarrierEngine: Spark retries only those
                .repartition(1)
                .collect());
  }

  /** Task 1's first attempt fails to fetch its input; every other waits for all in allGather. */
  private static final class FailOnceThenGather
      extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Integer> apply(Iterator<Integer> it) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      if (ctx.partitionId() == 1
          && ctx.stageAttemptNumber() == 0
          && Boolean.getBoolean(FAIL_ONCE)) {
        System.setProperty(FAIL_ONCE, "false");
        throw sneaky(
            new FetchFailedException(
                BlockManagerId.apply("driver", "localhost", 1, Option.empty()),
                0, // the repartition(2) above: the first shuffle of this class's own session
                0L,
                0,
                1,
                "test: shuffle output lost with its executor",
                null));
      }
      ctx.allGather("ready");
      return it;
    }
  }

  /** Throws a checked exception from a Scala function (Spark's tasks throw it just so). */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @Test
  void siblingOfAFetchFailedBarrierTaskIsKilledAndTheStageRetried() throws Exception {
    BarrierFetchFailureReaper reaper = new BarrierFetchFailureReaper(sc.sc());
    sc.sc().addSparkListener(reaper);
    try {
      List<Integer> out =
          barrierStageWithOneFetchFailure()
              .get(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS);
      assertThat(out).containsExactlyInAnyOrder(1, 2, 3, 4);
    } finally {
      sc.sc().removeSparkListener(reaper);
    }
  }
}
