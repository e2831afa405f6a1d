package sparktrain.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointInfo;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigException;
import sparktrain.config.JobConfig;
import sparktrain.config.LossFunction;
import sparktrain.config.Normalization;
import sparktrain.config.TrainingEngineKind;
import sparktrain.data.DataException;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.InputFingerprint;
import sparktrain.data.LabelIndex;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.eval.DistributedEvaluator;
import sparktrain.eval.EvaluationResult;
import sparktrain.model.NetworkFactory;
import sparktrain.report.Json;
import sparktrain.report.TrainReport;
import sparktrain.report.Versions;
import sparktrain.spark.SparkPhase;
import sparktrain.train.barrier.BarrierEngine;
import sparktrain.train.barrier.BarrierSlots;

/**
 * The {@code train} job: read the data, build (or resume) the network, train it with DL4J's
 * synchronous parameter averaging for the configured epochs, evaluate and checkpoint after each
 * epoch, then write the final model and {@code summary.json}.
 */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  /** Provenance key of a checkpoint's copy of its epoch's metrics.jsonl row. */
  private static final String METRICS_ROW = "metrics_row";

  private static final ObjectMapper PLAIN_JSON = new ObjectMapper();

  /** How long a barrier run on a cluster waits for executors to offer training.workers slots. */
  private static final Duration EXECUTOR_WAIT = Duration.ofSeconds(60);

  /**
   * Options of a run that are not part of the model's config.
   *
   * @param startFrom a model to continue instead of building a fresh network (e.g. a registry's
   *     champion), or null: its weights, updater state and epoch/iteration counters carry on, so
   *     {@code training.epochs} counts from its epoch. Its class names ({@code labels.json}) must
   *     be the data's. A checkpoint to resume from wins over it.
   * @param keepStartNormalizer with {@code startFrom}: use its saved {@code normalizer.json}
   *     instead of fitting a new one on the training examples (ignored without {@code startFrom})
   * @param moreTraining applied to the training examples as read, before the normalizer is fitted
   *     and before shuffling and batching (e.g. to mix in a replay sample); never null
   */
  public record Options(
      boolean resume,
      boolean force,
      LoadedCheckpoint startFrom,
      boolean keepStartNormalizer,
      UnaryOperator<JavaRDD<Example>> moreTraining) {

    /** Null {@code moreTraining} means none. */
    public Options {
      moreTraining = moreTraining == null ? UnaryOperator.identity() : moreTraining;
    }

    /** A run that starts from a fresh network (or resumes its own checkpoint). */
    public Options(boolean resume, boolean force) {
      this(resume, force, null, false, null);
    }

    /** A fresh run: no resume, no force. */
    public static Options defaults() {
      return new Options(false, false);
    }
  }

  private final JobConfig config;
  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final Options options;
  private final RunDirectory run;
  private final sparktrain.report.RunWatch watch = sparktrain.report.RunWatch.start();

  private TrainJob(JobConfig config, SparkSession spark, Options options) {
    this.config = config;
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.options = options;
    this.run = RunDirectory.of(config, sc.hadoopConfiguration());
  }

  /**
   * Runs the job. On failure after the run directory was created, {@code summary.json} says
   * "failed" and the exception is rethrown; published checkpoints and models are never partial.
   */
  public static TrainSummary run(JobConfig config, SparkSession spark, Options options) {
    TrainJob job = new TrainJob(config, spark, options);
    try {
      return job.run();
    } finally {
      job.watch.close();
    }
  }

  private TrainSummary run() {
    long start = System.nanoTime();
    CheckpointStore store;
    try {
      store = CheckpointStore.inCheckpointsDir(checkpointDir(), hadoopConf(), keepLast());
      if (config.checkpoint().keepBest()) {
        store = store.withBestKept(bestMetric());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open checkpoint directory " + checkpointDir(), e);
    }
    Optional<LoadedCheckpoint> resumeFrom = prepareRunDirectory(store);
    State state = new State();
    try {
      return train(store, resumeFrom, state, start);
    } catch (IOException e) {
      UncheckedIOException u = new UncheckedIOException(e.getMessage(), e);
      writeFailedSummary(state, u, start);
      throw u;
    } catch (RuntimeException | Error e) {
      writeFailedSummary(state, e, start);
      throw e;
    }
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

  /** Metrics of the network on one split, with a warning for NaN or infinite outputs. */
  private Map<String, Double> evaluate(
      MultiLayerNetwork net, int epoch, String label, String split, JavaRDD<DataSet> batches) {
    // job groups epoch-N-eval (test) and epoch-N-eval-validation, one per phase in the Spark UI
    String group = "epoch-" + epoch + "-eval" + (split.equals("test") ? "" : "-" + split);
    try (SparkPhase p =
        SparkPhase.start(sc, group, label + ": evaluate on the " + split + " split")) {
      EvaluationResult result =
          DistributedEvaluator.evaluate(
              sc, net, batches, config.model(), config.data().numClasses());
      if (result.nonFiniteOutputs() > 0) {
        LOG.warn(
            "{}: {} of {} {} examples have NaN or infinite outputs; they are counted in"
                + " non_finite_outputs and not scored",
            label,
            result.nonFiniteOutputs(),
            result.examples(),
            split);
      }
      return result.summary();
    }
  }

  private int keepLast() {
    return config.checkpoint().keepLast();
  }

  /** Test accuracy for classification losses, test loss for regression (mse, mae). */
  private CheckpointStore.BestMetric bestMetric() {
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

  /** Decides between a fresh run and a resume; refuses to mix runs of different configs. */
  private Optional<LoadedCheckpoint> prepareRunDirectory(CheckpointStore store) {
    try {
      if (!run.existsNonEmpty()) {
        if (options.resume()) {
          throw new RunDirectoryException(
              "--resume: run directory " + run.uri() + " does not exist or is empty");
        }
        run.create();
        run.writeText("config.conf", config.render());
        return Optional.empty();
      }
      Optional<LoadedCheckpoint> latest = store.loadLatest();
      if (latest.isEmpty()) {
        if (options.resume()) {
          throw new RunDirectoryException(
              "--resume: run directory " + run.uri() + " holds no complete checkpoint");
        }
        if (!options.force() && run.readText("config.conf").equals(config.render())) {
          // An earlier attempt of this very config died before its first checkpoint.
          LOG.warn(
              "Run directory {} holds no checkpoint of an earlier attempt of this config:"
                  + " starting over",
              run.uri());
          keepMetricsUpTo(0, null);
          return Optional.empty();
        }
        if (!options.force()) {
          throw new RunDirectoryException(
              "run directory "
                  + run.uri()
                  + " exists and holds no checkpoint to resume from; choose another --output,"
                  + " or pass --force to start over in it");
        }
        keepMetricsUpTo(0, null);
        run.writeText("config.conf", config.render());
        return Optional.empty();
      }
      Optional<String> named = store.latestName();
      if (named.isPresent() && !named.get().equals(latest.get().name())) {
        LOG.warn(
            "Checkpoint {} named by LATEST failed verification or is missing (see the warning"
                + " above); resuming from the previous good one, {}",
            named.get(),
            latest.get().uri());
      }
      Object fp = latest.get().provenance().get("config_fingerprint");
      if (!config.fingerprint().equals(fp) && !options.force()) {
        throw new RunDirectoryException(
            "run directory "
                + run.uri()
                + " was written by a different model/training config (fingerprint "
                + fp
                + ", this config "
                + config.fingerprint()
                + "); use another --output, or --force to resume anyway");
      }
      if (!config.fingerprint().equals(fp)) {
        LOG.warn(
            "--force: resuming {} from a checkpoint of a different model/training config",
            run.uri());
      }
      LOG.info(
          "Resuming {} from checkpoint {} ({} epochs done{})",
          run.uri(),
          latest.get().name(),
          latest.get().manifest().epoch(),
          CheckpointStore.roundOf(latest.get().name()) > 0
              ? " and " + CheckpointStore.roundOf(latest.get().name()) + " rounds of the next"
              : "");
      run.writeText("config.conf", config.render());
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare run directory " + run.uri(), e);
    }
  }

  /** Mutable progress of the run, for the summary written on failure. */
  private static final class State {
    final List<Double> epochSeconds = new ArrayList<>();
    int epochsCompleted;
    Integer resumedFrom;
    long trainExamples;
    long testExamples;
    int workers;
    Map<String, Double> testMetrics = Map.of();
    Map<String, Double> validationMetrics = Map.of();
    String checkpoint;
    Long validationExamples;
    Map<String, Long> skippedRows = Map.of();
  }

  private TrainSummary train(
      CheckpointStore store, Optional<LoadedCheckpoint> resumeFrom, State state, long start)
      throws IOException {
    var data = config.data();
    var training = config.training();
    int workers = training.workers() > 0 ? training.workers() : sc.defaultParallelism();
    state.workers = workers;
    boolean barrier = training.engine() == TrainingEngineKind.BARRIER;
    if (barrier) {
      BarrierSlots.require(
          sc.sc(),
          workers,
          BarrierEngine.runsInDriverJvm(sc.master()) ? Duration.ZERO : EXECUTOR_WAIT);
    }
    int partitions = data.partitions() > 0 ? data.partitions() : workers;
    MiniBatches.LabelLayout layout = labelLayout();

    JavaRDD<DataSet> trainBatches;
    JavaRDD<Example> trainExamples;
    JavaRDD<DataSet> testBatches;
    Optional<JavaRDD<DataSet>> validationBatches;
    List<String> inputPaths;
    Map<String, byte[]> dataFiles;
    Normalizer normalizer;
    try (SparkPhase p = SparkPhase.start(sc, "read-data", "Read and batch the input data")) {
      TrainingData input = DataSources.read(sc, data, partitions);
      checkInputSize(input);
      inputPaths = input.inputs();
      JavaRDD<Example> trainEx = options.moreTraining().apply(input.train());
      JavaRDD<Example> testEx = input.test();
      normalizer = normalizer(input, trainEx, resumeFrom);
      dataFiles = dataFiles(normalizer, input, resumeFrom);
      // the barrier engine deals examples to workers itself and shuffles them every epoch
      if (training.shuffle() && !barrier) {
        trainEx = Shuffle.examples(trainEx, training.seed(), partitions);
      }
      trainExamples = trainEx;
      trainBatches =
          MiniBatches.of(
              trainEx, training.batchSizePerWorker(), layout, data.numClasses(), normalizer);
      testBatches =
          MiniBatches.of(
                  testEx, training.batchSizePerWorker(), layout, data.numClasses(), normalizer)
              .persist(StorageLevel.MEMORY_ONLY_SER());
      Normalizer fitted = normalizer;
      validationBatches =
          input
              .validation()
              .map(
                  v ->
                      MiniBatches.of(
                              v, training.batchSizePerWorker(), layout, data.numClasses(), fitted)
                          .persist(StorageLevel.MEMORY_ONLY_SER()));
      state.trainExamples = trainEx.count();
      state.testExamples = testEx.count();
      state.validationExamples = input.validation().map(JavaRDD::count).orElse(null);
      state.skippedRows = input.skippedRows();
    }
    LOG.info(
        "Data: {} training examples, {} test examples{}, {} partitions, {} workers; {}{}",
        state.trainExamples,
        state.testExamples,
        state.validationExamples == null
            ? ""
            : ", " + state.validationExamples + " validation examples",
        partitions,
        workers,
        normalizer,
        state.skippedRows.isEmpty() ? "" : "; skipped bad rows " + state.skippedRows);

    MultiLayerNetwork net;
    int startEpoch = 0;
    int skipRounds = 0;
    long iterations = 0;
    String parent = null;
    if (resumeFrom.isPresent()) {
      LoadedCheckpoint ck = resumeFrom.get();
      net = ck.network();
      startEpoch = ck.manifest().epoch();
      iterations = ck.manifest().iteration();
      skipRounds = roundsToSkip(ck, workers);
      if (skipRounds > 0) {
        iterations = longProvenance(ck, "iteration_at_epoch_start", iterations);
      }
      parent = ck.name();
      state.resumedFrom = startEpoch;
      state.epochsCompleted = startEpoch;
      state.checkpoint = ck.uri();
      keepMetricsUpTo(startEpoch, ck);
    } else if (options.startFrom() != null) {
      LoadedCheckpoint ck = options.startFrom();
      net = ck.network();
      startEpoch = ck.manifest().epoch();
      iterations = ck.manifest().iteration();
      parent = ck.name();
      state.epochsCompleted = startEpoch;
      LOG.info("Continuing {} ({} epochs, {} iterations done)", ck.uri(), startEpoch, iterations);
    } else {
      net = NetworkFactory.create(config.model(), training.seed());
    }
    LOG.info("Network: {} parameters\n{}", net.numParams(), net.summary());

    long examplesPerRound =
        (long) workers * training.batchSizePerWorker() * training.averagingFrequency();
    int rounds = (int) Math.max(1, Math.ceil(state.trainExamples / (double) examplesPerRound));
    long batchesPerEpoch =
        (long) Math.ceil(state.trainExamples / (double) training.batchSizePerWorker());
    List<Map<String, Object>> inputs = inputFingerprints(inputPaths);
    int epochs = training.epochs();
    MultiLayerNetwork network = net;
    RoundCheckpoints roundCheckpoints =
        new RoundCheckpoints(
            store,
            config.checkpoint().everyNRounds(),
            () -> network,
            (epochsDone, round, iterationAtStart, parentName) ->
                metadata(
                    epochsDone,
                    iterationAtStart
                        + Math.min(
                            batchesPerEpoch,
                            (long) round * workers * training.averagingFrequency()),
                    parentName,
                    Map.of(),
                    inputs,
                    roundProvenance(epochsDone + 1, round, iterationAtStart, workers)),
            dataFiles);
    TrainingEngine engine;
    if (barrier) {
      engine =
          new BarrierEngine(
              sc,
              net,
              trainExamples,
              training,
              workers,
              layout,
              data.numClasses(),
              normalizer,
              roundCheckpoints,
              config.checkpoint().everyNRounds());
      rounds = ((BarrierEngine) engine).roundsPerEpoch();
    } else {
      RoundAdvisor advisor =
          new RoundAdvisor(
              training.averagingFrequency(),
              training.batchSizePerWorker(),
              workers,
              RoundAdvisor.probe(net, probeBatch(layout)));
      String exportDir = run.child("tmp/export-" + UUID.randomUUID()).toString();
      engine =
          new Dl4jEngine(
              sc,
              net,
              trainBatches,
              training,
              workers,
              exportDir,
              roundCheckpoints,
              advisor,
              rounds);
    }
    try {
      for (int epoch = startEpoch + 1; epoch <= epochs; epoch++) {
        long t0 = System.nanoTime();
        net.getLayerWiseConfigurations().setEpochCount(epoch - 1);
        String label = String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs);
        int skip = epoch == startEpoch + 1 ? skipRounds : 0;
        roundCheckpoints.beginEpoch(epoch - 1, iterations, parent);
        EpochFit fit;
        try (SparkPhase p =
            SparkPhase.start(sc, "epoch-" + epoch + "-fit", label + ": parameter-averaged fit")) {
          fit = engine.fitEpoch(epoch, skip, p.groupId(), label);
        }
        logRounds(label, fit);
        // the run's first epoch carries warm-up: advise once, on its second (or only) one
        if (epoch == Math.min(epochs, startEpoch + 2)) {
          AveragingAdvisor.advise(fit, training.averagingFrequency())
              .ifPresent(m -> LOG.warn("{}: {}", label, m));
        }
        // As DL4J's own fit(iterator) does: the network's epoch count is the epochs completed,
        // saved with model.zip (epoch-based schedules read it).
        net.getLayerWiseConfigurations().setEpochCount(epoch);
        parent = roundCheckpoints.parent();
        iterations += batchesPerEpoch;
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        double trainLoss = fit.trainLoss();

        // Per-epoch evaluation (curves, keep-best, the checkpoint's metrics) uses the validation
        // split when there is one, and the test split is scored after the last epoch only: model
        // selection never looks at the test data.
        Map<String, Double> test = Map.of();
        Map<String, Double> validation = Map.of();
        double evalSeconds = 0;
        boolean evaluateNow = training.evaluateEveryEpoch() || epoch == epochs;
        long e0 = System.nanoTime();
        if (evaluateNow && validationBatches.isPresent()) {
          validation = evaluate(net, epoch, label, "validation", validationBatches.get());
          state.validationMetrics = validation;
        }
        if (evaluateNow && (validationBatches.isEmpty() || epoch == epochs)) {
          test = evaluate(net, epoch, label, "test", testBatches);
          state.testMetrics = test;
        }
        evalSeconds = (System.nanoTime() - e0) / 1e9;
        Map<String, Double> selection = validationBatches.isPresent() ? validation : test;

        boolean checkpointNow = epoch % config.checkpoint().everyNEpochs() == 0 || epoch == epochs;
        String ckName = checkpointNow ? CheckpointStore.checkpointName(epoch) : null;
        double perSecond = state.trainExamples / fitSeconds;
        EpochMetrics row =
            new EpochMetrics(
                epoch,
                trainLoss,
                test,
                fitSeconds,
                evalSeconds,
                (System.nanoTime() - t0) / 1e9,
                perSecond,
                iterations,
                ckName,
                validation,
                EpochMetrics.RoundStats.of(fit));
        if (checkpointNow) {
          try (SparkPhase p =
              SparkPhase.start(sc, "epoch-" + epoch + "-checkpoint", label + ": checkpoint")) {
            // The epoch's metrics row goes into the manifest too: a crash after the checkpoint is
            // published and before the row is appended to metrics.jsonl loses nothing.
            Map<String, Object> position = epochProvenance(epoch);
            position.put(METRICS_ROW, asPlainMap(row));
            CheckpointInfo info =
                store.write(
                    net,
                    metadata(epoch, iterations, parent, selection, inputs, position),
                    dataFiles);
            ckName = info.name();
            parent = info.name();
            state.checkpoint = info.uri();
          }
        }
        double epochSeconds = (System.nanoTime() - t0) / 1e9;
        row =
            new EpochMetrics(
                epoch,
                trainLoss,
                test,
                fitSeconds,
                evalSeconds,
                epochSeconds,
                perSecond,
                iterations,
                ckName,
                validation,
                EpochMetrics.RoundStats.of(fit));
        appendMetrics(row);
        state.epochSeconds.add(epochSeconds);
        state.epochsCompleted = epoch;
        LOG.info(
            String.format(
                Locale.ROOT,
                "%s  loss %.4f  %s  %.1f s  %.0f examples/s%s",
                label,
                trainLoss,
                validation.isEmpty() ? headline(test) : "validation " + headline(validation),
                epochSeconds,
                perSecond,
                ckName == null ? "" : "  checkpoint " + ckName));
      }
    } finally {
      engine.close();
      testBatches.unpersist(false);
      validationBatches.ifPresent(v -> v.unpersist(false));
      deleteQuietly(run.child("tmp").toString());
    }

    String modelUri = run.child("model").toString();
    try (SparkPhase p = SparkPhase.start(sc, "final-model", "Write the final model")) {
      ModelDirectory.write(
          modelUri,
          hadoopConf(),
          net,
          metadata(
              state.epochsCompleted,
              iterations,
              parent,
              state.testMetrics,
              inputs,
              epochProvenance(state.epochsCompleted)),
          dataFiles,
          true);
    }
    TrainSummary summary = summary("succeeded", null, state, start, modelUri);
    writeSummary(summary);
    writeReport();
    LOG.info(
        "Done: {} epochs, {}; summary: {}",
        state.epochsCompleted,
        headline(state.testMetrics),
        run.child("summary.json"));
    return summary;
  }

  /**
   * Logs the epoch's round timings when the engine measured them (barrier): the numbers behind the
   * averaging overhead, at debug level per epoch and as one info line for the first epoch.
   */
  private static void logRounds(String label, EpochFit fit) {
    if (fit.averageMillis().isEmpty()) {
      return;
    }
    LOG.info(
        String.format(
            Locale.ROOT,
            "%s: %d rounds in %d stage(s); per round fit %.1f ms, averaging %.2f ms median"
                + " (p95 %.2f ms)",
            label,
            fit.rounds(),
            fit.stages(),
            EpochFit.median(fit.fitMillis()),
            EpochFit.median(fit.averageMillis()),
            EpochFit.quantile(fit.averageMillis(), 0.95)));
  }

  /**
   * Class-index labels for sparse-mcxent, binary xent and regression; one-hot for mcxent and for
   * xent over one unit per class.
   */
  private MiniBatches.LabelLayout labelLayout() {
    return MiniBatches.LabelLayout.forOutput(config.model().outputLayer());
  }

  /** The data's feature count must be the network's input size (when the data names them). */
  private void checkInputSize(TrainingData input) {
    int size = config.model().input().size();
    if (input.numFeatures() > 0 && input.numFeatures() != size) {
      throw new DataException(
          "the data has "
              + input.numFeatures()
              + " feature columns ("
              + String.join(", ", input.featureNames())
              + "), but model.input.size is "
              + size
              + ": set model.input.size = "
              + input.numFeatures()
              + ", or choose the features with data.features / data.exclude");
    }
  }

  /**
   * The normalizer saved in the checkpoint resumed from, else the one of the model started from
   * when it is kept, else one fitted on the training examples {@code train} (never on validation or
   * test data).
   */
  private Normalizer normalizer(
      TrainingData input, JavaRDD<Example> train, Optional<LoadedCheckpoint> resumeFrom)
      throws IOException {
    if (resumeFrom.isPresent()) {
      Optional<Normalizer> saved = Normalizer.find(resumeFrom.get());
      if (saved.isPresent()) {
        return saved.get();
      }
    }
    if (options.startFrom() != null && options.keepStartNormalizer()) {
      return keptNormalizer(options.startFrom(), input);
    }
    return Normalizer.fit(train, config.data().normalization(), input.featureNames());
  }

  /**
   * The normalizer of the model started from, for a run that keeps it. A model without {@code
   * normalizer.json} (saved before normalizers were) keeps the fixed transform {@code
   * data.normalization} names; a fitted kind cannot be recovered and is an error.
   *
   * @throws DataException if the normalizer was fitted on other feature columns than the data's
   * @throws ConfigException if the model has no normalizer to keep and the data needs a fitted one
   */
  private Normalizer keptNormalizer(LoadedCheckpoint start, TrainingData input) throws IOException {
    Optional<Normalizer> saved = Normalizer.find(start);
    if (saved.isEmpty()) {
      Normalization kind = config.data().normalization();
      if (kind == Normalization.NONE || kind == Normalization.IMAGE_SCALE) {
        LOG.warn(
            "{} has no {}; keeping the fixed transform data.normalization = {}",
            start.uri(),
            Normalizer.FILE_NAME,
            kind.configName());
        return Normalizer.fit(input.train(), kind, input.featureNames());
      }
      throw new ConfigException(
          List.of(
              "retrain.normalizer: keep, but "
                  + start.uri()
                  + " has no "
                  + Normalizer.FILE_NAME
                  + " to keep (data.normalization = "
                  + kind.configName()
                  + " needs a fitted one); use retrain.normalizer = refit"));
    }
    Normalizer kept = saved.get();
    List<String> names = input.featureNames();
    if (!kept.featureNames().isEmpty() && !names.isEmpty() && !kept.featureNames().equals(names)) {
      throw new DataException(
          "the data's feature columns "
              + names
              + " differ from those the normalizer of "
              + start.uri()
              + " was fitted on ("
              + kept.featureNames()
              + "); retrain.normalizer = keep needs the same columns in the same order");
    }
    if (kept.kind() != config.data().normalization()) {
      LOG.warn(
          "Keeping the {} normalizer of {} (data.normalization says {})",
          kept.kind().configName(),
          start.uri(),
          config.data().normalization().configName());
    } else {
      LOG.info("Keeping the {} normalizer of {}", kept.kind().configName(), start.uri());
    }
    return kept;
  }

  /**
   * The files saved with every checkpoint and the model: the normalizer and, for class names, the
   * label index. A resumed run must map class names as the checkpoint did.
   */
  private Map<String, byte[]> dataFiles(
      Normalizer normalizer, TrainingData input, Optional<LoadedCheckpoint> resumeFrom)
      throws IOException {
    if (resumeFrom.isPresent() && Normalizer.find(resumeFrom.get()).isPresent()) {
      Optional<LabelIndex> saved = LabelIndex.find(resumeFrom.get());
      if (!saved.equals(input.labelIndex())) {
        throw new DataException(
            "the data's class names "
                + input.labelIndex().map(LabelIndex::classes).map(Object::toString).orElse("(none)")
                + " differ from those of checkpoint "
                + resumeFrom.get().uri()
                + ": "
                + saved.map(LabelIndex::classes).map(Object::toString).orElse("(none)"));
      }
    }
    if (resumeFrom.isEmpty() && options.startFrom() != null) {
      requireSameClasses(options.startFrom(), input);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(Normalizer.FILE_NAME, normalizer.toJson());
    input.labelIndex().ifPresent(index -> files.put(LabelIndex.FILE_NAME, index.toJson()));
    return files;
  }

  /**
   * A continued network's outputs are its model's classes: the data must name them the same way.
   *
   * @throws DataException if the data's class names (labels.json) differ from the model's
   */
  private static void requireSameClasses(LoadedCheckpoint start, TrainingData input)
      throws IOException {
    Optional<LabelIndex> saved = LabelIndex.find(start);
    if (!saved.equals(input.labelIndex())) {
      throw new DataException(
          "the data's class names "
              + input.labelIndex().map(LabelIndex::classes).map(Object::toString).orElse("(none)")
              + " differ from those of "
              + start.uri()
              + " ("
              + LabelIndex.FILE_NAME
              + ": "
              + saved.map(LabelIndex::classes).map(Object::toString).orElse("(none)")
              + "), whose network is continued: its output units are those classes");
    }
  }

  private List<Map<String, Object>> inputFingerprints(List<String> paths) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String p : paths) {
      out.add(InputFingerprint.of(p, hadoopConf()));
    }
    return out;
  }

  private CheckpointMetadata metadata(
      int epoch,
      long iterations,
      String parent,
      Map<String, Double> metrics,
      List<Map<String, Object>> inputs,
      Map<String, Object> position) {
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("config_fingerprint", config.fingerprint());
    prov.put("workload", config.workload());
    prov.put("seed", config.training().seed());
    prov.putAll(position);
    prov.put("inputs", inputs);
    prov.put("versions", Versions.all());
    prov.put("spark_master", sc.master());
    prov.put("created_by", "sparktrain train");
    return new CheckpointMetadata(
        epoch, iterations, run.uri(), parent, metrics, config.render(), prov);
  }

  /**
   * Random state of the epoch for the manifest: the split seed of the last epoch trained (DL4J's
   * averaging-round split generator is re-seeded from it each epoch, see {@link
   * ResumableTrainingMaster}). The network's own counters, which drive DL4J's learning-rate
   * schedules and Adam's bias correction, need no entry: they are part of the configuration saved
   * in model.zip and in the manifest's network_json ({@code iterationCount}, {@code epochCount}).
   */
  private Map<String, Object> epochProvenance(int epoch) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (epoch > 0) {
      p.put("split_seed", ResumableTrainingMaster.splitSeed(config.training().seed(), epoch));
    }
    return p;
  }

  /**
   * A metrics row as plain Java maps and lists, as metrics.jsonl has it (Json.MAPPER's Scala
   * module, on the classpath with Spark, would turn nested objects into Scala maps).
   */
  private static Map<?, ?> asPlainMap(EpochMetrics row) {
    try {
      return PLAIN_JSON.readValue(Json.line(row), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot convert the metrics row of epoch " + row.epoch(), e);
    }
  }

  private Map<String, Object> roundProvenance(
      int epochInProgress, int round, long iterationAtStart, int workers) {
    var training = config.training();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("split_seed", ResumableTrainingMaster.splitSeed(training.seed(), epochInProgress));
    p.put("epoch_in_progress", epochInProgress);
    p.put("rounds_done", round);
    p.put("iteration_at_epoch_start", iterationAtStart);
    p.put("workers", workers);
    p.put("averaging_frequency", training.averagingFrequency());
    p.put("batch_size_per_worker", training.batchSizePerWorker());
    return p;
  }

  /**
   * Rounds of the epoch in progress that a checkpoint taken within it already contains; 0 (with a
   * warning) when the rounds would be dealt differently now, so that the epoch restarts from that
   * checkpoint's parameters instead.
   */
  private int roundsToSkip(LoadedCheckpoint ck, int workers) {
    int round = CheckpointStore.roundOf(ck.name());
    if (round == 0) {
      return 0;
    }
    var training = config.training();
    Map<String, Object> then = ck.provenance();
    boolean same =
        longProvenance(ck, "workers", -1) == workers
            && longProvenance(ck, "averaging_frequency", -1) == training.averagingFrequency()
            && longProvenance(ck, "batch_size_per_worker", -1) == training.batchSizePerWorker();
    if (!same) {
      LOG.warn(
          "Checkpoint {} was taken within epoch {} with workers={}, averaging-frequency={},"
              + " batch-size-per-worker={}; now {}, {}, {}: its rounds would be dealt differently,"
              + " so epoch {} restarts from its start with the checkpoint's parameters",
          ck.name(),
          ck.epoch() + 1,
          then.get("workers"),
          then.get("averaging_frequency"),
          then.get("batch_size_per_worker"),
          workers,
          training.averagingFrequency(),
          training.batchSizePerWorker(),
          ck.epoch() + 1);
      return 0;
    }
    return round;
  }

  private static long longProvenance(LoadedCheckpoint ck, String key, long otherwise) {
    Object v = ck.provenance().get(key);
    return v instanceof Number n ? n.longValue() : otherwise;
  }

  /**
   * On resume: keeps the history in metrics.jsonl up to the resumed epoch and drops rows of epochs
   * after it (trained after the checkpoint, before the crash), which are trained again. When the
   * run stopped between publishing checkpoint {@code ck} and appending its epoch's row, the row is
   * restored from the copy in the checkpoint's manifest.
   */
  private void keepMetricsUpTo(int epoch, LoadedCheckpoint ck) throws IOException {
    String existing = run.readText("metrics.jsonl");
    StringBuilder kept = new StringBuilder();
    int dropped = 0;
    boolean hasEpoch = false;
    for (String line : existing.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int rowEpoch = Json.MAPPER.readTree(line).path("epoch").asInt(Integer.MAX_VALUE);
      if (rowEpoch <= epoch) {
        kept.append(line).append('\n');
        hasEpoch |= rowEpoch == epoch;
      } else {
        dropped++;
      }
    }
    Object saved = ck == null ? null : ck.provenance().get(METRICS_ROW);
    boolean restore = !hasEpoch && epoch > 0 && saved != null;
    if (dropped > 0) {
      LOG.warn(
          "metrics.jsonl: dropping {} row(s) of epochs after {}, which are trained again",
          dropped,
          epoch);
    }
    if (restore) {
      LOG.warn(
          "metrics.jsonl: restoring the row of epoch {} from checkpoint {} (the run stopped"
              + " before appending it)",
          epoch,
          ck.name());
      kept.append(Json.line(saved)).append('\n');
    }
    if (dropped > 0 || restore) {
      run.writeText("metrics.jsonl", kept.toString());
    }
  }

  private void appendMetrics(EpochMetrics row) {
    try {
      String existing = run.readText("metrics.jsonl");
      run.writeText("metrics.jsonl", existing + Json.line(row) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics.jsonl in " + run.uri(), e);
    }
  }

  private TrainSummary summary(
      String status, String error, State state, long start, String modelUri) {
    return new TrainSummary(
        status,
        error,
        config.workload(),
        run.uri(),
        config.training().epochs(),
        state.epochsCompleted,
        state.resumedFrom,
        List.copyOf(state.epochSeconds),
        (System.nanoTime() - start) / 1e9,
        state.trainExamples,
        state.testExamples,
        state.testMetrics,
        modelUri,
        state.checkpoint,
        run.child("metrics.jsonl").toString(),
        sc.master(),
        state.workers,
        Versions.all(),
        state.validationExamples,
        state.skippedRows,
        state.validationMetrics,
        watch.figures());
  }

  private void writeSummary(TrainSummary s) {
    try {
      run.writeBytes("summary.json", Json.pretty(s));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write summary.json in " + run.uri(), e);
    }
  }

  private void writeFailedSummary(State state, Throwable e, long start) {
    try {
      writeSummary(summary("failed", String.valueOf(e.getMessage()), state, start, null));
      writeReport();
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  /** The HTML report is a convenience: failing to draw it never fails the run. */
  private void writeReport() {
    try {
      String index = TrainReport.write(run.fs(), run.path());
      LOG.info("Report: {}", index);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write the report in {}: {}", run.uri(), e.toString());
    }
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
    if (test.isEmpty()) {
      return "not evaluated";
    }
    StringBuilder b = new StringBuilder();
    for (String k : List.of("accuracy", "auc", "r2", "rmse", "loss")) {
      if (test.containsKey(k)) {
        b.append(b.length() == 0 ? "" : "  ").append("test ").append(k).append(' ');
        b.append(fmt(test.get(k)));
      }
    }
    return b.toString();
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }
}
