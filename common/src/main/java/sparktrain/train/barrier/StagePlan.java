package sparktrain.train.barrier;

import java.io.Serializable;
import java.time.Duration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import sparktrain.config.ShuffleBufferSize;
import sparktrain.data.Normalizer;
import sparktrain.data.spool.SpoolIndex;
import sparktrain.train.MiniBatches;
import sparktrain.train.collective.RingAuth;

/**
 * What every task of one barrier stage needs besides the network: which rounds of which epoch to
 * run, how minibatches are cut, how many each worker has, and how to reach the other tasks.
 *
 * @param runId unique per engine (names shared-memory groups, with the stage attempt)
 * @param epoch 1-based epoch; seeds the epoch's shuffle
 * @param fromRound first round to run (0-based; earlier rounds are in the broadcast state)
 * @param toRound end of the rounds to run, exclusive
 * @param batchesPerWorker minibatches of each worker's partition, by partition index
 * @param sameJvm whether every task runs in the driver's JVM ({@code local[N]}): average through
 *     memory, no rendezvous through Spark
 * @param spool the streamed training data (null: each task's partition, held in memory)
 * @param hadoopConf the Hadoop configuration to read the spool with (null without a spool)
 * @param shuffleBuffer the streamed data's shuffle buffer
 * @param ringKey the run's ring key ({@link RingAuth#newRunKey}), or null: ring security off (or
 *     not needed: {@code sameJvm})
 * @param sparkSecretRequired whether a task that cannot read Spark's application secret (while
 *     {@code spark.authenticate} is on) fails rather than warns ({@code ring-security = required})
 * @param executorJit whether each task trains under {@link sparktrain.runtime.ExecutorJit}'s
 *     compiler directives ({@code training.jit = auto} on a cluster)
 * @param lastStage whether this is the run's final stage (the last rounds of epoch {@code
 *     training.epochs}); its tasks remove those directives when they end
 */
record StagePlan(
    String runId,
    int epoch,
    int fromRound,
    int toRound,
    int[] batchesPerWorker,
    int batchSize,
    int averagingFrequency,
    long seed,
    boolean shuffle,
    boolean sameJvm,
    Duration timeout,
    MiniBatches.LabelLayout layout,
    int numClasses,
    Normalizer normalizer,
    SpoolIndex spool,
    Broadcast<SerializableConfiguration> hadoopConf,
    ShuffleBufferSize shuffleBuffer,
    byte[] ringKey,
    boolean sparkSecretRequired,
    boolean executorJit,
    boolean lastStage)
    implements Serializable {

  /** Rounds an epoch takes: enough for the worker with the most minibatches. */
  static int rounds(int[] batchesPerWorker, int averagingFrequency) {
    int max = 0;
    for (int b : batchesPerWorker) {
      max = Math.max(max, b);
    }
    return Math.max(1, (max + averagingFrequency - 1) / averagingFrequency);
  }

  /** Minibatches worker {@code rank} fits in round {@code round} (0 once its data is used up). */
  int batchesIn(int rank, int round) {
    int left = batchesPerWorker[rank] - round * averagingFrequency;
    return Math.max(0, Math.min(averagingFrequency, left));
  }

  /**
   * Whether every worker fits the same number of minibatches in {@code round}: then the average is
   * the plain mean; otherwise each worker's state is weighted by its minibatches (a worker whose
   * data is used up contributes nothing).
   */
  boolean evenRound(int round) {
    int first = batchesIn(0, round);
    for (int r = 1; r < batchesPerWorker.length; r++) {
      if (batchesIn(r, round) != first) {
        return false;
      }
    }
    return true;
  }

  int workers() {
    return batchesPerWorker.length;
  }
}
