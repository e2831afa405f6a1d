package sparktrain.train.barrier;

import java.util.List;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.collection.JavaConverters;
import sparktrain.train.FitProgress;

/**
 * In-epoch progress of the barrier engine, which runs an epoch as one long Spark stage: worker 0
 * counts its finished rounds in an accumulator, executors report running tasks' accumulators with
 * their heartbeats ({@code spark.executor.heartbeatInterval}, 10 s by default; in {@code local[N]}
 * too), and this listener hands the count to {@link FitProgress}, which prints at most one line per
 * {@code training.progress-interval}.
 */
final class RoundHeartbeats extends SparkListener {
  private final FitProgress progress;
  private volatile long accumulatorId = -1;
  private volatile int offset;

  RoundHeartbeats(FitProgress progress) {
    this.progress = progress;
  }

  /** Follows {@code rounds} (rounds done in the current stage); {@code offset} rounds before it. */
  void watch(LongAccumulator rounds, int offset) {
    this.offset = offset;
    this.accumulatorId = rounds.id();
  }

  void stop() {
    accumulatorId = -1;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    long id = accumulatorId;
    if (id < 0) {
      return;
    }
    List<Tuple4> tasks = (List<Tuple4>) (List) JavaConverters.seqAsJavaList(update.accumUpdates());
    for (Tuple4 task : tasks) {
      for (Object o : JavaConverters.seqAsJavaList((scala.collection.Seq) task._4())) {
        AccumulableInfo info = (AccumulableInfo) o;
        if (info.id() == id && info.update().isDefined()) {
          progress.reached(offset + ((Number) info.update().get()).intValue());
        }
      }
    }
  }
}
