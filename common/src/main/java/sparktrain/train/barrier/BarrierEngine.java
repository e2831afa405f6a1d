package sparktrain.train.barrier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigKeys;
import sparktrain.config.JitMode;
import sparktrain.config.RingSecurity;
import sparktrain.config.TrainingConfig;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.data.spool.EpochShares;
import sparktrain.data.spool.SpoolIndex;
import sparktrain.train.EpochFit;
import sparktrain.train.FitProgress;
import sparktrain.train.MiniBatches;
import sparktrain.train.RoundListener;
import sparktrain.train.TrainingEngine;
import sparktrain.train.collective.RingAuth;

/**
 * The {@code barrier} engine (driver side). Every epoch each worker streams its share of the
 * training examples from the spool ({@code training.data-path = stream}, see {@link
 * sparktrain.data.spool}), or the examples are cut into one partition per worker and cached in
 * executor memory for the whole run ({@code memory}); each epoch is one barrier stage (one per
 * {@code checkpoint.every-n-rounds} rounds when in-epoch checkpoints are on) whose tasks average
 * among themselves. Only the epoch's start state goes out (one broadcast) and only task 0's
 * averaged state comes back.
 *
 * <p>A failed task fails its stage; Spark retries a barrier stage as a whole, and every attempt
 * starts from the same broadcast state, so a retried epoch trains exactly as the first attempt
 * would have.
 */
public final class BarrierEngine implements TrainingEngine {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierEngine.class);
  private static final ClassTag<TaskResult> RESULT = ClassTag$.MODULE$.apply(TaskResult.class);

  /**
   * Synthetic minibatches each worker fits in the warm-up: enough for the just-in-time compiler to
   * compile DL4J's fit and the averaging (measured: README, "Performance: the benchmark").
   */
  static final int WARM_UP_BATCHES = 400;

  private final JavaSparkContext sc;
  private final MultiLayerNetwork net;
  private final JavaRDD<Example> examples;
  private final SpoolIndex spool;
  private final Broadcast<SerializableConfiguration> hadoopConf;
  private final TrainingConfig training;
  private final RoundListener roundListener;
  private final int everyNRounds;
  private final int[] batchesPerWorker;
  private final boolean sameJvm;
  private final MiniBatches.LabelLayout layout;
  private final int numClasses;
  private final Normalizer normalizer;
  private final String runId = UUID.randomUUID().toString();
  private final byte[] ringKey;
  private final boolean ownsCache;
  private final FitProgress progress;
  private final RoundHeartbeats heartbeats;

  /** Why the last warm-up failed, or null (it succeeded, or none ran). */
  private String warmUpFailure;

  /**
   * Prepares the engine: deals the examples to one partition per worker (see {@link
   * WorkerPartitions}; kept as they are when they already have one partition per worker and {@code
   * training.shuffle} is off), caches them and counts each partition (one Spark job). With {@code
   * training.shuffle} each worker shuffles its examples every epoch, seeded by (seed, epoch,
   * worker).
   *
   * @param trainExamples the training examples, not normalized
   * @param roundListener called after each stage that ends within an epoch
   * @param everyNRounds rounds per stage within an epoch (0: one stage per epoch)
   */
  public BarrierEngine(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<Example> trainExamples,
      TrainingConfig training,
      int workers,
      MiniBatches.LabelLayout layout,
      int numClasses,
      Normalizer normalizer,
      RoundListener roundListener,
      int everyNRounds) {
    this(
        sc,
        net,
        training,
        layout,
        numClasses,
        normalizer,
        roundListener,
        everyNRounds,
        inMemory(trainExamples, training, workers));
  }

  /**
   * Prepares the engine on streamed data: every epoch each worker reads its share of the spool's
   * examples (see {@link EpochShares}); nothing is cached.
   *
   * @param spool the training examples, written once, not normalized
   */
  public BarrierEngine(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      SpoolIndex spool,
      TrainingConfig training,
      int workers,
      MiniBatches.LabelLayout layout,
      int numClasses,
      Normalizer normalizer,
      RoundListener roundListener,
      int everyNRounds) {
    this(
        sc,
        net,
        training,
        layout,
        numClasses,
        normalizer,
        roundListener,
        everyNRounds,
        new WorkerData(
            sc.parallelize(List.of(), workers),
            false,
            spool,
            new EpochShares(spool, workers).batchesPerWorker(training.batchSizePerWorker()),
            "streamed from " + spool.dir()));
  }

  /**
   * Where the workers' examples come from.
   *
   * @param examples the barrier stage's input: one partition per worker (empty ones with a spool)
   * @param ownsCache whether the engine persisted {@code examples} and unpersists them at close
   * @param spool the streamed examples, or null: each worker's partition of {@code examples}
   * @param description for the log
   */
  private record WorkerData(
      JavaRDD<Example> examples,
      boolean ownsCache,
      SpoolIndex spool,
      int[] batchesPerWorker,
      String description) {}

  private BarrierEngine(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      TrainingConfig training,
      MiniBatches.LabelLayout layout,
      int numClasses,
      Normalizer normalizer,
      RoundListener roundListener,
      int everyNRounds,
      WorkerData data) {
    this.sc = sc;
    this.net = net;
    this.training = training;
    this.layout = layout;
    this.numClasses = numClasses;
    this.normalizer = normalizer;
    this.roundListener = roundListener == null ? RoundListener.none() : roundListener;
    this.everyNRounds = everyNRounds;
    this.progress = new FitProgress(training.progressInterval());
    this.heartbeats = new RoundHeartbeats(progress);
    this.sameJvm = runsInDriverJvm(sc.master());
    this.ringKey = ringKey(sc.getConf(), training.ringSecurity(), sameJvm);
    this.examples = data.examples();
    this.ownsCache = data.ownsCache();
    this.spool = data.spool();
    this.hadoopConf =
        spool == null
            ? null
            : sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
    this.batchesPerWorker = data.batchesPerWorker();
    logPlan(batchesPerWorker.length, data.description());
  }

  /**
   * The examples dealt to one partition per worker (kept as they are when they already have one
   * partition per worker and are not to be shuffled), cached, and counted (one Spark job).
   */
  private static WorkerData inMemory(
      JavaRDD<Example> trainExamples, TrainingConfig training, int workers) {
    // As they are when already one partition per worker and not to be shuffled (e.g. a test's
    // data), else dealt evenly: every round then has all workers busy.
    boolean keep = trainExamples.getNumPartitions() == workers && !training.shuffle();
    JavaRDD<Example> parts = keep ? trainExamples : WorkerPartitions.deal(trainExamples, workers);
    // cached by the caller already: use it as it is, and leave it cached
    boolean ownsCache = !keep || parts.getStorageLevel().equals(StorageLevel.NONE());
    JavaRDD<Example> examples = ownsCache ? parts.persist(StorageLevel.MEMORY_AND_DISK()) : parts;
    int batch = training.batchSizePerWorker();
    List<Integer> counts =
        examples
            .mapPartitions(
                it -> {
                  int n = 0;
                  while (it.hasNext()) {
                    it.next();
                    n++;
                  }
                  return List.of(n).iterator();
                })
            .collect();
    return new WorkerData(
        examples,
        ownsCache,
        null,
        counts.stream().mapToInt(n -> (n + batch - 1) / batch).toArray(),
        "held in executor memory");
  }

  private void logPlan(int workers, String data) {
    LOG.info(
        "Barrier engine: {} workers ({}), training data {}, minibatches per worker {}, {} rounds"
            + " per epoch",
        workers,
        sameJvm
            ? "one JVM: averaging through memory"
            : ringKey == null
                ? "averaging over TCP between tasks, ring security off"
                : "averaging over TCP between tasks, authenticated and AES-GCM sealed",
        data,
        Arrays.toString(batchesPerWorker),
        StagePlan.rounds(batchesPerWorker, training.averagingFrequency()));
  }

  /**
   * The run's ring key, drawn here and shipped in every stage's task closure; null when the ring is
   * not secured or not used ({@code local[N]}).
   *
   * @throws ConfigException for {@code required} on a cluster without {@code spark.authenticate}
   */
  static byte[] ringKey(SparkConf conf, RingSecurity security, boolean sameJvm) {
    if (sameJvm || security == RingSecurity.OFF) {
      return null;
    }
    if (security == RingSecurity.REQUIRED && !conf.getBoolean("spark.authenticate", false)) {
      throw new ConfigException(
          List.of(
              ConfigKeys.TRAINING_RING_SECURITY.path()
                  + " = required: Spark must authenticate (spark.authenticate=true, with"
                  + " spark.authenticate.secret on standalone) so that the ring's key travels"
                  + " only over authenticated connections; or set it to auto"));
    }
    return RingAuth.newRunKey();
  }

  /** {@code local} and {@code local[N]} (not {@code local-cluster}) run every task in this JVM. */
  public static boolean runsInDriverJvm(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  @Override
  public MultiLayerNetwork network() {
    return net;
  }

  /** Averaging rounds per epoch. */
  public int roundsPerEpoch() {
    return StagePlan.rounds(batchesPerWorker, training.averagingFrequency());
  }

  @Override
  public EpochFit fitEpoch(int epoch, int skipRounds, String jobGroup, String label) {
    int rounds = roundsPerEpoch();
    double lossSum = 0;
    long batches = 0;
    List<Double> fit = new ArrayList<>();
    List<Double> average = new ArrayList<>();
    int stages = 0;
    int from = Math.min(skipRounds, rounds);
    progress.begin(
        jobGroup,
        label,
        Math.max(1, rounds - from),
        (long) batchesPerWorker.length
            * training.batchSizePerWorker()
            * training.averagingFrequency());
    sc.sc().addSparkListener(heartbeats);
    try {
      while (from < rounds) {
        int to =
            everyNRounds > 0 ? Math.min(rounds, (from / everyNRounds + 1) * everyNRounds) : rounds;
        long s0 = System.nanoTime();
        List<TaskResult> results =
            runStage(epoch, from, to, label, from - Math.min(skipRounds, rounds));
        stages++;
        logStage(label, (System.nanoTime() - s0) / 1e6, results);
        NetworkState averaged = null;
        double[] slowestFit = new double[to - from];
        for (TaskResult r : results) {
          lossSum += r.lossSum();
          batches += r.batches();
          if (r.state() != null) {
            averaged = r.state();
            for (double ms : r.averageMillis()) {
              average.add(ms);
            }
          }
          for (int i = 0; i < slowestFit.length; i++) {
            slowestFit[i] = Math.max(slowestFit[i], r.fitMillis()[i]);
          }
        }
        for (double ms : slowestFit) {
          fit.add(ms);
        }
        if (averaged == null) {
          throw new IllegalStateException("barrier stage of epoch " + epoch + " returned no state");
        }
        averaged.applyTo(net);
        roundListener.afterRound(to, rounds);
        from = to;
      }
    } finally {
      heartbeats.stop();
      progress.end();
      sc.sc().removeSparkListener(heartbeats);
    }
    double loss = batches == 0 ? Double.NaN : lossSum / batches;
    net.setScore(loss);
    return new EpochFit(loss, rounds - Math.min(skipRounds, rounds), fit, average, stages);
  }

  /**
   * Warms up the JVMs that train: one barrier stage with a task per worker, scheduled as the
   * epochs' stages are (so every executor that trains runs one; in {@code local[N]} they are the
   * driver's threads), each fitting a throwaway copy of the network on {@value #WARM_UP_BATCHES}
   * minibatches (at most an epoch's, rounded up to whole rounds: the first of its share streamed
   * from the spool in epoch 0's order, or synthetic ones of the run's shape in memory mode) and
   * averaging every {@code averaging-frequency} of them through the same allreduce as an epoch. The
   * driver's network is only read. A failure is logged and the run goes on without: a real problem
   * (e.g. workers that cannot reach each other) fails the first epoch with its own error.
   *
   * @param featureWidth features per example (the model's flattened input size)
   * @return the wall seconds it took
   */
  @Override
  public double warmUp(int featureWidth) {
    long t0 = System.nanoTime();
    int f = training.averagingFrequency();
    // never more fitting than one epoch's: small data needs no long warm-up
    int most = Arrays.stream(batchesPerWorker).max().orElse(1);
    int rounds = Math.max(1, (Math.min(WARM_UP_BATCHES, most) + f - 1) / f);
    boolean real = spool != null;
    int[] batches = new int[batchesPerWorker.length];
    for (int w = 0; w < batches.length; w++) {
      // a real share ends where it ends: rounded up to whole rounds, it would run out
      batches[w] = real ? Math.min(rounds * f, batchesPerWorker[w]) : rounds * f;
    }
    // Streamed data: the warm-up reads the workers' real shares (in epoch 0's order, which no
    // epoch trains in) through the same stream, decoding and normalizing as an epoch does, so that
    // path is compiled too; a fresh executor's first epoch was still 1.7x a steady one when the
    // warm-up fitted synthetic minibatches only. In memory: synthetic minibatches.
    StagePlan plan =
        real
            ? plan(0, 0, rounds, batches, normalizer, spool, hadoopConf)
            : plan(0, 0, rounds, batches, Normalizer.none(), null, null);
    Broadcast<NetworkState> start = sc.broadcast(NetworkState.of(net));
    try {
      sc.setJobDescription(
          "warm-up: "
              + Arrays.stream(batches).max().orElse(0)
              + (real ? " streamed" : " synthetic")
              + " minibatches per worker on a copy of the network");
      sc.parallelize(List.<Example>of(), batches.length)
          .rdd()
          .barrier()
          .mapPartitions(new BarrierTask(start, plan, null, real ? 0 : featureWidth), false, RESULT)
          .toJavaRDD()
          .collect();
      double seconds = (System.nanoTime() - t0) / 1e9;
      warmUpFailure = null;
      LOG.info(
          "Warm-up: {} workers fitted {} {} minibatches each on a copy of the network, in"
              + " {} s (training.warm-up = off skips it)",
          batches.length,
          Arrays.stream(batches).max().orElse(0),
          real ? "streamed" : "synthetic",
          String.format(java.util.Locale.ROOT, "%.1f", seconds));
      return seconds;
    } catch (Exception e) {
      // Exception: Spark throws its checked SparkException undeclared
      warmUpFailure = e.toString();
      LOG.warn("Warm-up failed; training goes on without it: {}", warmUpFailure);
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      start.destroy();
    }
  }

  /** Why the last {@link #warmUp} failed (it logs and goes on), or null. */
  String warmUpFailure() {
    return warmUpFailure;
  }

  private StagePlan plan(
      int epoch,
      int from,
      int to,
      int[] batches,
      Normalizer normalizer,
      SpoolIndex spool,
      Broadcast<SerializableConfiguration> hadoopConf) {
    return new StagePlan(
        runId,
        epoch,
        from,
        to,
        batches,
        training.batchSizePerWorker(),
        training.averagingFrequency(),
        training.seed(),
        training.shuffle(),
        sameJvm,
        training.collectiveTimeout(),
        layout,
        numClasses,
        normalizer,
        spool,
        hadoopConf,
        training.shuffleBuffer(),
        ringKey,
        training.ringSecurity() == RingSecurity.REQUIRED,
        !sameJvm && training.jit() == JitMode.AUTO,
        epoch >= training.epochs() && to >= roundsPerEpoch());
  }

  /**
   * What a stage cost besides its rounds: the driver's wall time for it against the slowest task's
   * setup (start to ring joined: network build, data opened, rendezvous).
   */
  private static void logStage(String label, double stageMillis, List<TaskResult> results) {
    double setup = 0;
    double rounds = 0;
    for (TaskResult r : results) {
      setup = Math.max(setup, r.setupMillis());
      double sum = 0;
      for (int i = 0; i < r.fitMillis().length; i++) {
        sum += r.fitMillis()[i] + r.averageMillis()[i];
      }
      rounds = Math.max(rounds, sum);
    }
    LOG.info(
        String.format(
            java.util.Locale.ROOT,
            "%s: stage %.0f ms on the driver; slowest task setup %.0f ms, rounds %.0f ms",
            label,
            stageMillis,
            setup,
            rounds));
  }

  private List<TaskResult> runStage(int epoch, int from, int to, String label, int roundsBefore) {
    StagePlan plan = plan(epoch, from, to, batchesPerWorker, normalizer, spool, hadoopConf);
    Broadcast<NetworkState> start = sc.broadcast(NetworkState.of(net));
    LongAccumulator roundsDone = sc.sc().longAccumulator("sparktrain rounds done");
    heartbeats.watch(roundsDone, roundsBefore);
    BarrierFetchFailureReaper reaper = new BarrierFetchFailureReaper(sc.sc());
    sc.sc().addSparkListener(reaper);
    try {
      sc.setJobDescription(
          label + ": barrier stage, rounds " + (from + 1) + "-" + to + " of " + roundsPerEpoch());
      // The barrier stage must be a shuffle map stage: Spark retries a failed barrier stage as a
      // whole only then (a failed barrier result stage aborts the job). So the tasks' results go
      // through a one-partition shuffle (a few KB, plus task 0's state) to the driver.
      return examples
          .rdd()
          .barrier()
          .mapPartitions(new BarrierTask(start, plan, roundsDone), false, RESULT)
          .toJavaRDD()
          .repartition(1)
          .collect();
    } finally {
      sc.sc().removeSparkListener(reaper);
      start.destroy();
    }
  }

  @Override
  public void close() {
    if (ownsCache) {
      examples.unpersist(false);
    }
    if (hadoopConf != null) {
      hadoopConf.destroy();
    }
  }
}
