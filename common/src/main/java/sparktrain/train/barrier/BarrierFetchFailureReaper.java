package sparktrain.train.barrier;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.FetchFailed;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.storage.RDDInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * Kills the other running tasks of a barrier stage attempt when one of its tasks fails to fetch its
 * input (a {@code FetchFailed}), so that Spark can retry the stage instead of hanging.
 *
 * <p>Spark kills a failed barrier task's siblings for every failure but this one (SPARK-24795's
 * follow-up handles failures in {@code DAGScheduler} after the {@code FetchFailed} case, which only
 * resubmits the stages). The siblings then wait in {@code allGather} for a task that will never
 * come, and keep their slots, so the stage's next attempt can never get all its slots: the run
 * hangs. It happens when an executor is lost with the training data cached on it: the task that
 * recomputes a lost partition finds the shuffle output it needs gone too (seen on YARN with an
 * executor container killed between two epochs). Killing the siblings ends the attempt; Spark
 * recomputes the lost map output and runs the barrier stage again with all its tasks.
 */
final class BarrierFetchFailureReaper extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierFetchFailureReaper.class);

  /** Barrier stages seen, by stage id. */
  private final Set<Integer> barrierStages = ConcurrentHashMap.newKeySet();

  /** Running tasks of barrier stages: task id to "stage.attempt". */
  private final Map<Long, String> running = new ConcurrentHashMap<>();

  private final SparkContext sc;

  BarrierFetchFailureReaper(SparkContext sc) {
    this.sc = sc;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    List<RDDInfo> rdds = JavaConverters.seqAsJavaList(submitted.stageInfo().rddInfos());
    if (rdds.stream().anyMatch(RDDInfo::isBarrier)) {
      barrierStages.add(submitted.stageInfo().stageId());
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    if (barrierStages.contains(start.stageId())) {
      running.put(start.taskInfo().taskId(), attempt(start.stageId(), start.stageAttemptId()));
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    running.remove(end.taskInfo().taskId());
    if (!barrierStages.contains(end.stageId()) || !(end.reason() instanceof FetchFailed)) {
      return;
    }
    String attempt = attempt(end.stageId(), end.stageAttemptId());
    running.forEach(
        (taskId, stage) -> {
          if (stage.equals(attempt)) {
            LOG.warn(
                "Barrier stage {}: task {} failed to fetch its input; killing task {} so that the"
                    + " stage can be retried with all its tasks",
                attempt,
                end.taskInfo().taskId(),
                taskId);
            sc.killTaskAttempt(
                taskId,
                true,
                "a task of its barrier stage failed to fetch its input (FetchFailed): the stage is"
                    + " retried as a whole");
          }
        });
  }

  private static String attempt(int stageId, int attemptId) {
    return stageId + "." + attemptId;
  }
}
