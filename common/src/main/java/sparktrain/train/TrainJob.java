package sparktrain.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.DataPath;
import sparktrain.config.JobConfig;
import sparktrain.config.KerasOrigin;
import sparktrain.config.LossFunction;
import sparktrain.config.TrainingEngineKind;
import sparktrain.config.WarmUp;
import sparktrain.data.Example;
import sparktrain.data.InputFingerprint;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.data.spool.Spool;
import sparktrain.data.spool.SpoolIndex;
import sparktrain.eval.DistributedEvaluator;
import sparktrain.io.HadoopFiles;
import sparktrain.keras.KerasWeights;
import sparktrain.lease.OutputLease;
import sparktrain.model.NetworkFactory;
import sparktrain.provenance.RunStatus;
import sparktrain.runtime.RunWatch;
import sparktrain.spark.SparkPhase;
import sparktrain.train.barrier.BarrierEngine;
import sparktrain.train.barrier.BarrierSlots;

/**
 * The {@code train} job: read the data, build (or resume) the network, train it with synchronous
 * parameter averaging ({@link TrainingEngine}: the barrier engine or DL4J's) for the configured
 * epochs, evaluate and checkpoint after each epoch, then write the final model and {@code
 * summary.json}.
 *
 * <p>The pieces: {@link ResumePlanner} (fresh run or resume), {@link PreparedData} (the {@code
 * read-data} phase), the engine, {@link EpochLoop} (fit, evaluate, checkpoint, record per epoch),
 * {@link CheckpointMetadataFactory} and {@link CheckpointProvenance} (what every checkpoint says
 * about itself) and {@link RunRecords} (metrics.jsonl, summary.json, report).
 */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  /** How to take over a run directory whose lease holder died ({@link OutputLease}). */
  public static final String TAKE_OVER = "rerun with --resume to continue its run";

  /** How long a barrier run on a cluster waits for executors to offer training.workers slots. */
  private static final Duration EXECUTOR_WAIT = Duration.ofSeconds(60);

  /**
   * Options of a run that are not part of the model's config. Build them with {@link #fresh()} or
   * {@link #resuming()} and the {@code with...}/{@code startingFrom} methods, e.g. {@code
   * Options.fresh().withForce()}.
   *
   * @param resume continue the run directory's newest checkpoint ({@code --resume})
   * @param force start over in a run directory that holds another run ({@code --force})
   * @param startFrom a model to continue instead of building a fresh network (e.g. a registry's
   *     champion), or null: its weights, updater state and epoch/iteration counters carry on, so
   *     {@code training.epochs} counts from its epoch. Its class names ({@code labels.json}) must
   *     be the data's. A checkpoint to resume from wins over it.
   * @param keepStartNormalizer with {@code startFrom}: use its saved {@code normalizer.json}
   *     instead of fitting a new one on the training examples (ignored without {@code startFrom})
   * @param moreTraining applied to the training examples as read, before the normalizer is fitted
   *     and before shuffling and batching (e.g. to mix in a replay sample); never null
   * @param data the examples to train on instead of reading the config's {@code data} section (e.g.
   *     a DataFrame's, from {@code sparktrain.ml}), or null to read the section
   */
  public record Options(
      boolean resume,
      boolean force,
      LoadedCheckpoint startFrom,
      boolean keepStartNormalizer,
      UnaryOperator<JavaRDD<Example>> moreTraining,
      TrainingData data) {

    /** Null {@code moreTraining} means none. */
    public Options {
      moreTraining = moreTraining == null ? UnaryOperator.identity() : moreTraining;
    }

    /** A fresh run: a new network (or the run directory's own checkpoint, when it matches). */
    public static Options fresh() {
      return new Options(false, false, null, false, null, null);
    }

    /** A run that must continue the run directory's newest checkpoint ({@code --resume}). */
    public static Options resuming() {
      return new Options(true, false, null, false, null, null);
    }

    /** These options, starting over in a run directory that holds another run. */
    public Options withForce() {
      return new Options(resume, true, startFrom, keepStartNormalizer, moreTraining, data);
    }

    /**
     * These options, continuing {@code model} instead of a fresh network.
     *
     * @param keepNormalizer keep its saved normalizer instead of fitting a new one
     */
    public Options startingFrom(LoadedCheckpoint model, boolean keepNormalizer) {
      return new Options(resume, force, model, keepNormalizer, moreTraining, data);
    }

    /** These options, with {@code more} applied to the training examples as read. */
    public Options withMoreTraining(UnaryOperator<JavaRDD<Example>> more) {
      return new Options(resume, force, startFrom, keepStartNormalizer, more, data);
    }

    /** These options, training on {@code examples} instead of the config's data section. */
    public Options withData(TrainingData examples) {
      return new Options(resume, force, startFrom, keepStartNormalizer, moreTraining, examples);
    }
  }

  private final JobConfig config;
  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final Options options;
  private final RunDirectory run;
  private final RunWatch watch = RunWatch.start();
  private final RunRecords records;
  private final RunProgress progress = new RunProgress();
  private OutputLease lease;
  private OutputLease checkpointDirLease;

  private TrainJob(JobConfig config, SparkSession spark, Options options) {
    this.config = config;
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.options = options;
    this.run = RunDirectory.of(config, sc.hadoopConfiguration());
    this.records = new RunRecords(config, run, sc.master(), watch);
  }

  /**
   * Runs the job. On failure after the run directory was created, {@code summary.json} says
   * "failed" and the exception is rethrown; published checkpoints and models are never partial.
   */
  public static TrainSummary run(JobConfig config, SparkSession spark, Options options) {
    Dl4jEngines.check(config.training());
    TrainJob job = new TrainJob(config, spark, options);
    try (OutputLease lease = job.takeLease(job.run.fs(), job.run.path());
        OutputLease checkpoints = job.checkpointDirLease()) {
      job.lease = lease;
      job.checkpointDirLease = checkpoints;
      return job.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } finally {
      job.watch.close();
    }
  }

  /**
   * The lease on {@code dir}: the run directory (taken again if the CLI took it before Spark
   * started) or a {@code checkpoint.dir} of its own, naming this Spark application; released when
   * the job ends.
   */
  private OutputLease takeLease(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path dir)
      throws IOException {
    OutputLease lease =
        OutputLease.acquire(fs, dir, config.output().leaseTtl(), "train", TAKE_OVER);
    try {
      lease.recordApplication(sc.sc().applicationId());
      return lease;
    } catch (IOException | RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** The lease on {@code checkpoint.dir} when it is outside the run directory, else null. */
  private OutputLease checkpointDirLease() throws IOException {
    String d = config.checkpoint().dir();
    if (d == null || d.isBlank()) {
      return null;
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(d);
    org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(hadoopConf());
    org.apache.hadoop.fs.Path dir = fs.makeQualified(p);
    String uri = dir.toString();
    if (uri.equals(run.uri()) || uri.startsWith(run.uri() + "/")) {
      return null; // the run directory's lease covers it
    }
    return takeLease(fs, dir);
  }

  private TrainSummary run() {
    long start = System.nanoTime();
    CheckpointStore store = openStore();
    Optional<LoadedCheckpoint> resumeFrom =
        new ResumePlanner(config, run, records, options.resume(), options.force()).prepare(store);
    try {
      return train(store, resumeFrom, start);
    } catch (IOException e) {
      UncheckedIOException u = new UncheckedIOException(e.getMessage(), e);
      writeFailed(u, start);
      throw u;
    } catch (Exception | Error e) {
      // Exception, not RuntimeException: Spark's jobs throw the checked SparkException
      // undeclared (a failed stage, the barrier engine's collective included)
      writeFailed(e, start);
      throw e;
    }
  }

  /** summary.json says "failed", unless the lease was lost: the directory is another's now. */
  private void writeFailed(Throwable e, long start) {
    if (lease.isHeld()) {
      records.writeFailed(progress, e, start);
    } else {
      LOG.error("Lost the lease on {}: writing nothing more into it", run.uri());
    }
  }

  private CheckpointStore openStore() {
    try {
      CheckpointStore store =
          CheckpointStore.inCheckpointsDir(
              checkpointDir(), hadoopConf(), config.checkpoint().keepLast());
      store =
          store.withGuard(
              () -> {
                lease.check();
                if (checkpointDirLease != null) {
                  checkpointDirLease.check();
                }
              });
      return config.checkpoint().keepBest() ? store.withBestKept(bestMetric()) : store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open checkpoint directory " + checkpointDir(), e);
    }
  }

  private TrainSummary train(
      CheckpointStore store, Optional<LoadedCheckpoint> resumeFrom, long start) throws IOException {
    var training = config.training();
    int workers = Parallelism.workers(sc, config);
    progress.workers = workers;
    boolean barrier = training.engine() == TrainingEngineKind.BARRIER;
    if (barrier) {
      BarrierSlots.require(
          sc.sc(),
          workers,
          BarrierEngine.runsInDriverJvm(sc.master()) ? Duration.ZERO : EXECUTOR_WAIT);
    }
    int partitions = Parallelism.partitions(config, workers);
    MiniBatches.LabelLayout layout =
        MiniBatches.LabelLayout.forOutput(config.model().outputLayer());
    PreparedData data =
        PreparedData.read(
            sc,
            config,
            new PreparedData.Start(
                resumeFrom,
                options.startFrom(),
                options.keepStartNormalizer(),
                options.moreTraining(),
                options.data()),
            partitions,
            // the barrier engine deals examples to workers itself and shuffles them every epoch
            training.shuffle() && !barrier,
            // the spool job repartitions the training examples itself
            barrier && training.dataPath() == DataPath.STREAM,
            layout);
    progress.trainExamples = data.trainCount();
    progress.testExamples = data.testCount();
    progress.validationExamples = data.validationCount();
    progress.skippedRows = data.skippedRows();
    LOG.info(
        "Data: {} training examples, {} test examples{}, {} partitions, {} workers; {}{}",
        data.trainCount(),
        data.testCount(),
        data.validationCount() == null
            ? ""
            : ", " + data.validationCount() + " validation examples",
        partitions,
        workers,
        data.normalizer(),
        data.skippedRows().isEmpty() ? "" : "; skipped bad rows " + data.skippedRows());

    MultiLayerNetwork net;
    int startEpoch = 0;
    int skipRounds = 0;
    long iterations = 0;
    String parent = null;
    Map<?, ?> resumedRow = null;
    if (resumeFrom.isPresent()) {
      LoadedCheckpoint ck = resumeFrom.get();
      net = ck.network();
      startEpoch = ck.manifest().epoch();
      iterations = ck.manifest().iteration();
      skipRounds = ResumePlanner.roundsToSkip(ck, training, workers);
      if (skipRounds > 0) {
        iterations =
            CheckpointProvenance.RoundPosition.in(ck.provenance())
                .map(CheckpointProvenance.RoundPosition::iterationAtEpochStart)
                .filter(i -> i >= 0)
                .orElse(iterations);
      }
      parent = ck.name();
      progress.resumedFrom = startEpoch;
      progress.epochsCompleted = startEpoch;
      progress.checkpoint = ck.uri();
      records.keepMetricsUpTo(startEpoch, ck);
      // early stopping's state: in the epoch checkpoint's manifest, else (a checkpoint within an
      // epoch) in the completed epoch's metrics.jsonl row
      Object saved = CheckpointProvenance.metricsRowIn(ck.provenance()).orElse(null);
      resumedRow = saved instanceof Map<?, ?> m ? m : records.row(startEpoch);
    } else if (options.startFrom() != null) {
      LoadedCheckpoint ck = options.startFrom();
      net = ck.network();
      startEpoch = ck.manifest().epoch();
      iterations = ck.manifest().iteration();
      parent = ck.name();
      progress.epochsCompleted = startEpoch;
      LOG.info("Continuing {} ({} epochs, {} iterations done)", ck.uri(), startEpoch, iterations);
    } else {
      net = NetworkFactory.create(config.model(), training.seed());
      KerasOrigin keras = config.keras();
      if (keras.hasWeights()) {
        KerasWeights.apply(net, keras.source(), keras.weights());
        LOG.info("Starting from the Keras weights in {}", keras.weights());
      }
    }
    double[] classWeights =
        ClassWeights.resolve(
            training.classWeights(), data.trainExamples(), config.data().numClasses());
    if (classWeights != null) {
      ClassWeights.applyTo(net, classWeights, config.model().outputLayer().loss());
      progress.classWeights = ClassWeights.describe(training.classWeights(), classWeights);
      LOG.info("Class weights: {}", progress.classWeights.get("weights"));
    }
    LOG.info("Network: {} parameters\n{}", net.numParams(), net.summary());

    long batchesPerEpoch =
        (long) Math.ceil(data.trainCount() / (double) training.batchSizePerWorker());
    List<Map<String, Object>> fingerprints = inputFingerprints(data.inputPaths());
    CheckpointMetadataFactory metadata =
        new CheckpointMetadataFactory(
            config, run.uri(), sc.master(), fingerprints, workers, batchesPerEpoch);
    RoundCheckpoints roundCheckpoints =
        new RoundCheckpoints(
            store,
            config.checkpoint().everyNRounds(),
            () -> net,
            metadata::withinEpoch,
            data.dataFiles());
    EpochLoop.Position end;
    String spoolDir = barrier && training.dataPath() == DataPath.STREAM ? spoolDir() : null;
    try (TrainingEngine engine =
        engine(
            barrier,
            net,
            data,
            workers,
            partitions,
            layout,
            roundCheckpoints,
            spoolDir,
            fingerprints)) {
      if (training.warmUp() == WarmUp.AUTO && startEpoch < training.epochs()) {
        warmUp(engine, data);
      }
      end =
          new EpochLoop(
                  sc,
                  config,
                  engine,
                  store,
                  data,
                  records,
                  progress,
                  roundCheckpoints,
                  metadata,
                  batchesPerEpoch)
              .run(startEpoch, skipRounds, new EpochLoop.Position(iterations, parent), resumedRow);
    } finally {
      data.unpersist();
      deleteQuietly(run.child("tmp").toString());
    }
    if (spoolDir != null) {
      // kept when the run fails, for --resume
      Spool.delete(spoolDir, hadoopConf());
    }

    String modelUri = run.child("model").toString();
    lease.check();
    try (SparkPhase p = SparkPhase.start(sc, "final-model", "Write the final model")) {
      ModelDirectory.write(
          modelUri,
          hadoopConf(),
          net,
          metadata.afterEpoch(
              progress.epochsCompleted, end.iterations(), end.parent(), progress.testMetrics, null),
          data.dataFiles(),
          true);
    }
    TrainSummary summary = records.summary(RunStatus.SUCCEEDED, null, progress, start, modelUri);
    lease.check();
    records.writeSummary(summary);
    records.writeReport();
    LOG.info(
        "Done: {} epochs, {}; summary: {}",
        progress.epochsCompleted,
        headline(progress.testMetrics),
        run.child(RunRecords.SUMMARY));
    return summary;
  }

  /**
   * {@code training.warm-up = auto}: before the first epoch, the engine warms up the workers on
   * synthetic minibatches, then a throwaway copy of the network scores the split every epoch scores
   * (validation, else test), which also fills its cache: the first epoch's fit and evaluation then
   * run like the next ones'. The network that trains is only read.
   */
  private void warmUp(TrainingEngine engine, PreparedData data) {
    long t0 = System.nanoTime();
    try (SparkPhase p =
        SparkPhase.start(sc, "warm-up", "Warm up the workers on synthetic minibatches")) {
      engine.warmUp(config.model().input().size());
    }
    long e0 = System.nanoTime();
    JavaRDD<DataSet> scored = data.validationBatches().orElse(data.testBatches());
    try (SparkPhase p =
        SparkPhase.start(
            sc, "warm-up-eval", "Warm up the evaluation: a copy of the network scores once")) {
      DistributedEvaluator.evaluate(
          sc, engine.network().clone(), scored, config.model(), config.data().numClasses());
    }
    long e1 = System.nanoTime();
    LOG.info(
        String.format(
            Locale.ROOT,
            "Warm-up: %.1f s (fitting %.1f s, evaluation %.1f s) before the first epoch",
            (e1 - t0) / 1e9,
            (e0 - t0) / 1e9,
            (e1 - e0) / 1e9));
  }

  private TrainingEngine engine(
      boolean barrier,
      MultiLayerNetwork net,
      PreparedData data,
      int workers,
      int partitions,
      MiniBatches.LabelLayout layout,
      RoundCheckpoints roundCheckpoints,
      String spoolDir,
      List<Map<String, Object>> fingerprints)
      throws IOException {
    var training = config.training();
    if (spoolDir != null) {
      SpoolIndex index;
      try (SparkPhase p =
          SparkPhase.start(sc, "spool-data", "Write the training examples to the spool")) {
        index =
            Spool.prepare(
                sc,
                data.trainExamples(),
                spoolDir,
                spoolKey(fingerprints),
                training.shuffle(),
                training.seed(),
                partitions);
      }
      return new BarrierEngine(
          sc,
          net,
          index,
          training,
          workers,
          layout,
          config.data().numClasses(),
          data.normalizer(),
          roundCheckpoints,
          config.checkpoint().everyNRounds());
    }
    if (barrier) {
      return new BarrierEngine(
          sc,
          net,
          data.trainExamples(),
          training,
          workers,
          layout,
          config.data().numClasses(),
          data.normalizer(),
          roundCheckpoints,
          config.checkpoint().everyNRounds());
    }
    long examplesPerRound =
        (long) workers * training.batchSizePerWorker() * training.averagingFrequency();
    int rounds = (int) Math.max(1, Math.ceil(data.trainCount() / (double) examplesPerRound));
    RoundAdvisor advisor =
        new RoundAdvisor(
            training.averagingFrequency(),
            training.batchSizePerWorker(),
            workers,
            RoundAdvisor.probe(net, probeBatch(layout)));
    String exportDir = run.child("tmp/export-" + UUID.randomUUID()).toString();
    return Dl4jEngines.require()
        .engine(
            sc,
            net,
            data.trainBatches(),
            training,
            workers,
            exportDir,
            roundCheckpoints,
            advisor,
            rounds);
  }

  private Configuration hadoopConf() {
    return sc.hadoopConfiguration();
  }

  /** A minibatch of zeros of the configured size and shape, for timing one fit. */
  private DataSet probeBatch(MiniBatches.LabelLayout layout) {
    List<Example> zeros = new ArrayList<>();
    for (int i = 0; i < config.training().batchSizePerWorker(); i++) {
      zeros.add(new Example(new float[config.model().input().size()], 0));
    }
    return MiniBatches.toDataSet(zeros, layout, config.data().numClasses(), Normalizer.none());
  }

  /** Test accuracy for classification losses, test loss for regression (mse, mae). */
  private CheckpointStore.BestMetric bestMetric() {
    var stopping = config.training().earlyStopping();
    if (stopping.enabled() && stopping.restoreBest()) {
      // keep the checkpoint restore-best may need after a resume
      return new CheckpointStore.BestMetric(stopping.metric(), !stopping.minimize());
    }
    var layers = config.model().layers();
    LossFunction loss = layers.get(layers.size() - 1).loss();
    boolean regression = loss == LossFunction.MSE || loss == LossFunction.MAE;
    return regression
        ? new CheckpointStore.BestMetric("loss", false)
        : new CheckpointStore.BestMetric("accuracy", true);
  }

  private String checkpointDir() {
    String d = config.checkpoint().dir();
    return d == null || d.isBlank() ? run.child("checkpoints").toString() : d;
  }

  /**
   * Where the streamed training data goes: {@code training.spool-dir} (a directory of this run's
   * own in it), else {@code data-cache/} in the run directory.
   */
  private String spoolDir() {
    String d = config.training().spoolDir();
    if (d == null || d.isBlank()) {
      return run.child("data-cache").toString();
    }
    return new org.apache.hadoop.fs.Path(
            d,
            "spool-"
                + HadoopFiles.sha256(run.uri().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 16))
        .toString();
  }

  /**
   * What a spool is written from: the input files (path, size, time, hash), the data settings, the
   * seed and the shuffle; null (never reused) when the examples were handed in or a model is
   * continued (retrain: its data changes with the champion).
   */
  private String spoolKey(List<Map<String, Object>> fingerprints) {
    if (options.data() != null || options.startFrom() != null || fingerprints.isEmpty()) {
      return null;
    }
    String canonical =
        "spool-v1\n"
            + fingerprints
            + "\n"
            + config.data()
            + "\nseed="
            + config.training().seed()
            + "\nshuffle="
            + config.training().shuffle();
    return HadoopFiles.sha256(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private List<Map<String, Object>> inputFingerprints(List<String> paths) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String p : paths) {
      out.add(InputFingerprint.of(p, hadoopConf()));
    }
    return out;
  }

  private void deleteQuietly(String uri) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
      p.getFileSystem(hadoopConf()).delete(p, true);
    } catch (IOException e) {
      LOG.warn("could not delete temporary directory {}: {}", uri, e.toString());
    }
  }

  /** The test metrics a person looks at first, e.g. "test accuracy 0.9764 test loss 0.0771". */
  static String headline(Map<String, Double> test) {
    return headline("test", test);
  }

  /**
   * The metrics of one split a person looks at first, each named with the split, e.g. {@code
   * headline("validation", m)} = "validation accuracy 0.9764 validation loss 0.0771".
   */
  static String headline(String split, Map<String, Double> metrics) {
    if (metrics.isEmpty()) {
      return "not evaluated";
    }
    StringBuilder b = new StringBuilder();
    for (String k : List.of("accuracy", "auc", "r2", "rmse", "loss")) {
      if (metrics.containsKey(k)) {
        b.append(b.length() == 0 ? "" : "  ").append(split).append(' ').append(k).append(' ');
        b.append(fmt(metrics.get(k)));
      }
    }
    return b.toString();
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }
}
