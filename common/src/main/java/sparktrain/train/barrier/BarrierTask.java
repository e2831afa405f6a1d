package sparktrain.train.barrier;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;
import sparktrain.data.Example;
import sparktrain.data.spool.SpoolStream;
import sparktrain.runtime.ExecutorJit;
import sparktrain.train.MiniBatches;
import sparktrain.train.Shuffle;
import sparktrain.train.collective.Allreduce;
import sparktrain.train.collective.LocalAllreduce;
import sparktrain.train.collective.RingAllreduce;
import sparktrain.train.collective.RingAuth;

/**
 * One task of a barrier stage: builds the network from the broadcast state, cuts its partition's
 * examples into the epoch's minibatches, and runs the stage's rounds, each a fit of up to {@code
 * averaging-frequency} minibatches followed by an allreduce of parameters and updater state.
 */
final class BarrierTask
    extends AbstractFunction1<
        scala.collection.Iterator<Example>, scala.collection.Iterator<TaskResult>>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BarrierTask.class);

  /** Distinct synthetic minibatches a warm-up task cycles through. */
  private static final int SYNTHETIC_BATCHES = 8;

  private final Broadcast<NetworkState> start;
  private final StagePlan plan;
  private final LongAccumulator roundsDone;
  private final int syntheticWidth;

  /**
   * @param roundsDone worker 0 adds one per finished round (in-epoch progress, see {@link
   *     RoundHeartbeats})
   */
  BarrierTask(Broadcast<NetworkState> start, StagePlan plan, LongAccumulator roundsDone) {
    this(start, plan, roundsDone, 0);
  }

  /**
   * A task that trains on synthetic minibatches of {@code syntheticWidth} random features instead
   * of its data (a warm-up, see {@link BarrierEngine#warmUp}) when {@code syntheticWidth > 0}.
   *
   * @param roundsDone as above, or null (not counted)
   */
  BarrierTask(
      Broadcast<NetworkState> start,
      StagePlan plan,
      LongAccumulator roundsDone,
      int syntheticWidth) {
    this.start = start;
    this.plan = plan;
    this.roundsDone = roundsDone;
    this.syntheticWidth = syntheticWidth;
  }

  @Override
  public scala.collection.Iterator<TaskResult> apply(scala.collection.Iterator<Example> input) {
    long t0 = System.nanoTime();
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int rank = ctx.partitionId();
    // training.jit = auto on a cluster: C2 for the ring's crypto only, until the run's last stage
    try (ExecutorJit.Scope jit =
            plan.executorJit() ? ExecutorJit.training(plan.lastStage()) : ExecutorJit.Scope.NONE;
        Batches batches =
            syntheticWidth > 0
                ? synthetic(rank)
                : plan.spool() != null ? streamed(ctx, rank) : inMemory(input, rank)) {
      return JavaConverters.asScalaIteratorConverter(
              List.of(train(ctx, rank, batches, t0)).iterator())
          .asScala();
    }
  }

  /** The stage's minibatches of one worker, in order, from the stage's first round on. */
  private interface Batches extends AutoCloseable {
    DataSet next();

    @Override
    void close();
  }

  /** This worker's share of the epoch, streamed from the spool. */
  private Batches streamed(BarrierTaskContext ctx, int rank) {
    int width = plan.spool().width();
    int tasksPerJvm =
        plan.sameJvm() ? plan.workers() : SparkEnv.get().conf().getInt("spark.executor.cores", 1);
    int capacity =
        plan.shuffleBuffer().examplesFor(width, Runtime.getRuntime().maxMemory(), tasksPerJvm);
    SpoolStream stream =
        SpoolStream.open(
            plan.spool(),
            plan.workers(),
            rank,
            plan.seed(),
            plan.epoch(),
            plan.shuffle(),
            capacity,
            plan.hadoopConf().value().value(),
            ctx::isInterrupted);
    if (plan.epoch() == 1 && plan.fromRound() == 0 && rank == 0) {
      LOG.info(
          "worker {}: {} examples streamed from {}, shuffle buffer {} examples ({} MB)",
          rank,
          stream.remaining(),
          plan.spool().dir(),
          capacity,
          stream.bufferBytes() >> 20);
    }
    stream.skip((long) plan.fromRound() * plan.averagingFrequency() * plan.batchSize());
    return new Batches() {
      @Override
      public DataSet next() {
        return stream.next(plan.batchSize(), plan.layout(), plan.numClasses(), plan.normalizer());
      }

      @Override
      public void close() {
        stream.close();
      }
    };
  }

  /**
   * Minibatches of random features in [0, 1) and random labels of the run's shape, cycled: what a
   * warm-up fits. Labels are class indices, or 0 for a regression.
   */
  private Batches synthetic(int rank) {
    Random random = new Random(Shuffle.mix(plan.seed(), rank));
    List<DataSet> batches = new ArrayList<>();
    for (int b = 0; b < SYNTHETIC_BATCHES; b++) {
      List<Example> examples = new ArrayList<>();
      for (int i = 0; i < plan.batchSize(); i++) {
        float[] features = new float[syntheticWidth];
        for (int j = 0; j < features.length; j++) {
          features[j] = random.nextFloat();
        }
        examples.add(new Example(features, random.nextInt(Math.max(1, plan.numClasses()))));
      }
      batches.add(
          MiniBatches.toDataSet(examples, plan.layout(), plan.numClasses(), plan.normalizer()));
    }
    return new Batches() {
      int next;

      @Override
      public DataSet next() {
        return batches.get(next++ % batches.size());
      }

      @Override
      public void close() {}
    };
  }

  /** This worker's partition, held in memory and shuffled by (seed, epoch, rank). */
  private Batches inMemory(scala.collection.Iterator<Example> input, int rank) {
    List<Example> examples = new ArrayList<>();
    JavaConverters.asJavaIteratorConverter(input).asJava().forEachRemaining(examples::add);
    int expected = plan.batchesPerWorker()[rank];
    int batches = (examples.size() + plan.batchSize() - 1) / plan.batchSize();
    if (batches != expected) {
      throw new IllegalStateException(
          "worker "
              + rank
              + " has "
              + examples.size()
              + " examples ("
              + batches
              + " minibatches), the driver counted "
              + expected
              + " minibatches: the cached training data changed between stages");
    }
    if (plan.shuffle()) {
      Collections.shuffle(
          examples, new Random(Shuffle.mix(Shuffle.mix(plan.seed(), plan.epoch()), rank)));
    }
    return new Batches() {
      int next = plan.fromRound() * plan.averagingFrequency();

      @Override
      public DataSet next() {
        int from = next++ * plan.batchSize();
        return MiniBatches.toDataSet(
            examples.subList(from, Math.min(examples.size(), from + plan.batchSize())),
            plan.layout(),
            plan.numClasses(),
            plan.normalizer());
      }

      @Override
      public void close() {}
    };
  }

  private TaskResult train(BarrierTaskContext ctx, int rank, Batches source, long t0) {
    long b0 = System.nanoTime();
    NetworkState state0 = start.value();
    long b1 = System.nanoTime();
    MultiLayerNetwork net = state0.build();
    long b2 = System.nanoTime();
    int iterationAtStart = net.getLayerWiseConfigurations().getIterationCount();
    FlatState flat = new FlatState(net);
    float[] buffer = new float[flat.length() + 1];
    int rounds = plan.toRound() - plan.fromRound();
    double[] fitMillis = new double[rounds];
    double[] averageMillis = new double[rounds];
    double lossSum = 0;
    long fitted = 0;
    double setupMillis;
    try (Allreduce group = join(ctx, rank)) {
      setupMillis = (System.nanoTime() - t0) / 1e6;
      LOG.debug(
          "worker {}: setup {} ms: data opened {} ms, broadcast {} ms, network {} ms, group {} ms",
          rank,
          Math.round(setupMillis),
          (b0 - t0) / 1_000_000,
          (b1 - b0) / 1_000_000,
          (b2 - b1) / 1_000_000,
          (System.nanoTime() - b2) / 1_000_000);
      for (int round = plan.fromRound(); round < plan.toRound(); round++) {
        long f0 = System.nanoTime();
        int n = plan.batchesIn(rank, round);
        int first = round * plan.averagingFrequency();
        for (int b = first; b < first + n; b++) {
          net.fit(source.next());
          lossSum += net.score();
          fitted++;
        }
        long a0 = System.nanoTime();
        average(group, flat, buffer, n, plan.evenRound(round));
        // As DL4J's master does after each round: every worker's counter moves on by the
        // averaging frequency, so schedules and Adam's bias correction agree on every worker.
        net.getLayerWiseConfigurations()
            .setIterationCount(
                iterationAtStart + (round + 1 - plan.fromRound()) * plan.averagingFrequency());
        long a1 = System.nanoTime();
        if (rank == 0 && roundsDone != null) {
          roundsDone.add(1);
        }
        fitMillis[round - plan.fromRound()] = (a0 - f0) / 1e6;
        averageMillis[round - plan.fromRound()] = (a1 - a0) / 1e6;
      }
    }
    NetworkState state = null;
    if (rank == 0) {
      float[] values = new float[flat.length()];
      flat.read(values);
      state =
          start
              .value()
              .withValues(
                  Arrays.copyOfRange(values, 0, flat.paramCount()),
                  Arrays.copyOfRange(values, flat.paramCount(), flat.length()),
                  net.getLayerWiseConfigurations().getIterationCount());
    }
    return new TaskResult(rank, state, lossSum, fitted, fitMillis, averageMillis, setupMillis);
  }

  /**
   * Replaces the network's state by the workers' average: the plain mean when every worker fitted
   * the same number of minibatches this round, else the mean weighted by minibatches fitted.
   */
  private static void average(
      Allreduce group, FlatState flat, float[] buffer, int fitted, boolean even) {
    int n = flat.length();
    flat.read(buffer);
    if (even) {
      buffer[n] = 1f;
    } else {
      for (int i = 0; i < n; i++) {
        buffer[i] *= fitted;
      }
      buffer[n] = fitted;
    }
    group.mean(buffer);
    if (!even) {
      float weight = buffer[n];
      for (int i = 0; i < n; i++) {
        buffer[i] /= weight;
      }
    }
    flat.write(buffer);
  }

  /**
   * The averaging group: shared memory when every task is in one JVM, else a TCP ring whose
   * addresses are exchanged with one {@code allGather} (the stage's only call through Spark),
   * authenticated with a key of this stage attempt unless ring security is off. Its waits also end
   * when Spark marks this task killed: Spark kills the other tasks of a failed barrier stage
   * without interrupting their threads.
   */
  private Allreduce join(BarrierTaskContext ctx, int rank) {
    int size = plan.workers();
    if (plan.sameJvm()) {
      String group = plan.runId() + "-" + ctx.stageId() + "-" + ctx.stageAttemptNumber();
      return LocalAllreduce.join(group, rank, size, plan.timeout(), ctx::isInterrupted);
    }
    String host = hostOf(ctx.getTaskInfos()[rank].address());
    try (RingAllreduce.Listener listener = RingAllreduce.listen(host)) {
      String[] addresses = BarrierSync.allGather(ctx, listener.address());
      byte[] sparkSecret =
          plan.ringKey() == null ? null : SparkSecret.read(plan.sparkSecretRequired());
      RingAuth auth =
          plan.ringKey() == null
              ? null
              : RingAuth.forStage(
                  plan.ringKey(),
                  sparkSecret,
                  plan.runId(),
                  ctx.stageId(),
                  ctx.stageAttemptNumber());
      LOG.info(
          "barrier stage {}: worker {} of {} at {} ({})",
          ctx.stageId(),
          rank,
          size,
          addresses[rank],
          auth == null
              ? "ring security off"
              : sparkSecret == null
                  ? "ring authenticated and sealed, keyed by the run's key"
                  : "ring authenticated and sealed, keyed by the run's key and Spark's secret");
      return listener.connect(List.of(addresses), rank, plan.timeout(), ctx::isInterrupted, auth);
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + rank + " cannot listen on " + host, e);
    }
  }

  private static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
  }
}
