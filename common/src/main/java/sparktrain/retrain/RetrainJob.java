package sparktrain.retrain;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigKeys;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.config.Normalization;
import sparktrain.config.RetrainConfig;
import sparktrain.config.RetrainNormalizer;
import sparktrain.data.DataException;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.LabelIndex;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.eval.DistributedEvaluator;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.lease.Lease;
import sparktrain.lease.LeaseKeeper;
import sparktrain.lease.OutputLease;
import sparktrain.provenance.RetrainDecision;
import sparktrain.provenance.Versions;
import sparktrain.registry.DecisionInfo;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegisteredVersion;
import sparktrain.registry.RegistryException;
import sparktrain.registry.RegistryLock;
import sparktrain.registry.RetrainWatermark;
import sparktrain.spark.SparkPhase;
import sparktrain.train.MiniBatches;
import sparktrain.train.Parallelism;
import sparktrain.train.RunDirectoryException;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * The {@code retrain} job: continue a registry's champion on new data and promote the result only
 * if it is measurably better.
 *
 * <ol>
 *   <li>Take the registry's lock (a held lock: {@link sparktrain.registry.RegistryLockedException},
 *       nothing touched); it is renewed while the job runs and verified before anything is
 *       published.
 *   <li>Determine the new data: the config's training split, unless the registry's {@code
 *       WATERMARK} records it as consumed ({@link TrainingInputs}); then stop with {@value
 *       RetrainSummary#NO_NEW_DATA}.
 *   <li>Load the champion (verified) and evaluate it on the config's test split.
 *   <li>Train the challenger: the champion's network, updater state and epoch/iteration counters
 *       continue for {@code retrain.epochs} epochs on the new data (plus a replay sample of old
 *       data, {@code retrain.replay-fraction}), as a normal training run in {@code <output>/train}.
 *   <li>Evaluate the challenger on the same test data, decide ({@link PromotionPolicy}), register
 *       the challenger with the decision, promote it if it won, record the consumed input in the
 *       watermark, and write {@code <output>/summary.json}.
 * </ol>
 *
 * <p>The champion and {@code CHAMPION} change only by {@link ModelRegistry#promote} (an atomic
 * pointer replacement after verification): a failure at any step leaves them as they were.
 */
public final class RetrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);

  /** How to take over an output directory whose lease holder died ({@link OutputLease}). */
  public static final String TAKE_OVER = "rerun with another --output (a retrain's output is new)";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /**
   * Options of a retrain that are not part of the config.
   *
   * @param breakLock remove the registry's lock first, whoever holds it ({@code --break-lock})
   */
  public record Options(boolean breakLock) {
    /** Default options: respect the lock. */
    public static Options defaults() {
      return new Options(false);
    }
  }

  /** Points where tests inject a crash. */
  interface Hooks {
    /** Runs after the challenger was registered, before any promotion or watermark update. */
    void afterRegister(String version) throws IOException;

    Hooks NONE = version -> {};
  }

  private final JobConfig config;
  private final RetrainConfig retrain;
  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final String registryUri;
  private final Options options;
  private final Hooks hooks;
  private final State state = new State();

  private RetrainJob(
      JobConfig config, SparkSession spark, String registryUri, Options options, Hooks hooks) {
    this.config = config;
    this.retrain = config.retrain();
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.registryUri = registryUri;
    this.options = options;
    this.hooks = hooks;
  }

  /**
   * Runs a retrain.
   *
   * @param registryUri the model's registry, {@code REG/NAME}
   * @return the summary also written to {@code <output>/summary.json}
   * @throws sparktrain.registry.RegistryLockedException if another process holds the lock (nothing
   *     was written)
   * @throws RegistryException if there is no registry or no champion
   * @throws ConfigException if the config does not fit the champion or the metrics
   */
  public static RetrainSummary run(
      JobConfig config, SparkSession spark, String registryUri, Options options)
      throws IOException {
    return run(config, spark, registryUri, options, Hooks.NONE);
  }

  static RetrainSummary run(
      JobConfig config, SparkSession spark, String registryUri, Options options, Hooks hooks)
      throws IOException {
    return new RetrainJob(config, spark, registryUri, options, hooks).run();
  }

  /** What the summary reports, filled in as the job goes. */
  private static final class State {
    long start = System.nanoTime();
    Path out;
    FileSystem outFs;
    String registry;
    String championVersion;
    String challengerVersion;
    String championAfter;
    Double improvement;
    List<String> violations = List.of();
    Map<String, Double> championMetrics = Map.of();
    Map<String, Double> challengerMetrics = Map.of();
    Map<String, Object> newData = Map.of();
    List<Map<String, Object>> replaySources = List.of();
    long trainExamples;
    long testExamples;
    String trainRunDir;
  }

  private RetrainSummary run() throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    prepareOutputDir(conf);
    ModelRegistry registry = ModelRegistry.open(registryUri, conf).requireExists();
    state.registry = registry.uri();
    RegistryLock lock = registry.lock();
    if (options.breakLock()) {
      lock.breakLock()
          .ifPresent(held -> LOG.warn("--break-lock: removed the lock of {}", held.describe()));
    }
    String purpose = "retrain by " + System.getProperty("user.name", "unknown");
    try (OutputLease output =
            OutputLease.acquire(
                state.outFs, state.out, config.output().leaseTtl(), "retrain", TAKE_OVER);
        Lease.Handle handle = lock.tryAcquire(retrain.lockTtl(), purpose);
        LeaseKeeper keeper = new LeaseKeeper(handle, retrain.lockTtl())) {
      output.recordApplication(sc.sc().applicationId());
      state.outFs.mkdirs(state.out);
      try {
        return retrain(registry, keeper);
      } catch (IOException | RuntimeException | Error e) {
        writeFailed(e);
        throw e;
      }
    }
  }

  /**
   * The output directory: must be new or empty, so one retrain's files never mix with another's.
   */
  private void prepareOutputDir(Configuration conf) throws IOException {
    String dir = config.output().dir();
    if (dir == null || dir.isBlank()) {
      String name = new Path(registryUri).getName();
      dir = "runs/retrain-" + name + "-" + LocalDateTime.now().format(STAMP);
    }
    Path p = new Path(dir);
    state.outFs = p.getFileSystem(conf);
    state.out = state.outFs.makeQualified(p);
    if (!OutputLease.contents(state.outFs, state.out).isEmpty()) {
      throw new RunDirectoryException(
          "retrain output directory "
              + state.out
              + " exists and is not empty; choose another --output (e.g. one per day)");
    }
  }

  private RetrainSummary retrain(ModelRegistry registry, LeaseKeeper keeper) throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    String champion = RetrainPreflight.championOf(registry);
    state.championVersion = champion;
    state.championAfter = champion;

    Optional<RetrainWatermark> watermark = registry.lastRetrainWatermark();
    Map<String, Object> input = TrainingInputs.trainSplit(config.data(), conf);
    state.newData = input;
    if (TrainingInputs.consumed(input, watermark)) {
      return finish(
          RetrainDecision.NO_NEW_DATA,
          "the training input "
              + TrainingInputs.key(input)
              + " was already consumed (registry "
              + ModelRegistry.WATERMARK
              + "); champion "
              + champion
              + " unchanged");
    }
    LOG.info("New training data: {}", TrainingInputs.key(input));

    LoadedCheckpoint championModel = registry.load(champion);
    requireSameModel(championModel);
    int partitions = Parallelism.partitions(config, Parallelism.workers(sc, config));

    JavaRDD<Example> test = testExamples(championModel, partitions);
    LoadedCheckpoint challengerModel;
    MultiLayerNetwork challengerNet;
    try {
      try (SparkPhase p = SparkPhase.start(sc, "champion-eval", "Evaluate champion " + champion)) {
        var result =
            evaluate(championModel.network(), batches(test, championNormalizer(championModel)));
        state.championMetrics = result.summary();
        state.testExamples = result.examples();
      }
      PromotionPolicy.requireAvailable(retrain, state.championMetrics);

      ReplaySample.Sample replay =
          ReplaySample.draw(
              sc,
              TrainingInputs.promoted(watermark),
              retrain.replayFraction(),
              config,
              partitions,
              LabelIndex.find(championModel));
      if (replay != null) {
        state.replaySources = replay.sources();
      }
      String trainDir = new Path(state.out, "train").toString();
      state.trainRunDir = trainDir;
      TrainSummary trained =
          TrainJob.run(
              trainConfig(championModel, trainDir),
              spark,
              TrainJob.Options.fresh()
                  .startingFrom(championModel, retrain.normalizer() == RetrainNormalizer.KEEP)
                  .withMoreTraining(
                      replay == null ? null : examples -> examples.union(replay.examples())));
      state.trainExamples = trained.trainExamples();

      challengerModel = ModelDirectory.read(trained.modelPath(), conf);
      challengerNet = challengerModel.network();
      try (SparkPhase p = SparkPhase.start(sc, "challenger-eval", "Evaluate the challenger")) {
        state.challengerMetrics =
            evaluate(challengerNet, batches(test, Normalizer.load(challengerModel))).summary();
      }
    } finally {
      test.unpersist(false);
    }

    PromotionPolicy.Verdict verdict =
        PromotionPolicy.decide(retrain, state.championMetrics, state.challengerMetrics);
    state.improvement = verdict.improvement();
    state.violations = verdict.violations();
    LOG.info("Decision: {}: {}", verdict.decision().value(), verdict.reason());

    keeper.check();
    RegisteredVersion registered =
        registry.register(
            challengerNet,
            metadata(challengerModel, champion, input),
            extraFiles(championModel, challengerModel),
            decisionInfo(verdict));
    state.challengerVersion = registered.version();
    hooks.afterRegister(registered.version());
    if (verdict.promote()) {
      keeper.check();
      registry.promote(registered.version(), "retrain: " + verdict.reason());
      state.championAfter = registered.version();
    }
    keeper.check();
    registry.setWatermark(
        TrainingInputs.consume(watermark, input, registered.version(), verdict.promote()));
    return finish(verdict.decision(), verdict.reason());
  }

  /** The config of the training run: the champion's epoch counter goes on; its own run dir. */
  private JobConfig trainConfig(LoadedCheckpoint champion, String trainDir) {
    Config c =
        config
            .resolved()
            .withValue(
                ConfigKeys.TRAINING_EPOCHS.path(),
                ConfigValueFactory.fromAnyRef(champion.epoch() + retrain.epochs()))
            .withValue(ConfigKeys.OUTPUT_DIR.path(), ConfigValueFactory.fromAnyRef(trainDir))
            // never into a shared checkpoint dir, where the epoch names may exist already
            .withValue(ConfigKeys.CHECKPOINT_DIR.path(), ConfigValueFactory.fromAnyRef(""));
    return ConfigLoader.fromConfig(c);
  }

  /**
   * The champion's network is what gets trained: a config with another model section would be
   * silently ignored (and would describe the challenger wrongly), so it is an error.
   */
  private void requireSameModel(LoadedCheckpoint champion) {
    Optional<JobConfig> recorded = trainedConfig(champion);
    if (recorded.isEmpty()) {
      LOG.warn("Not comparing model sections with champion {}", champion.name());
      return;
    }
    JobConfig trainedWith = recorded.get();
    if (!trainedWith.model().equals(config.model())) {
      throw new ConfigException(
          List.of(
              "model: the retrain config's model section differs from the one champion "
                  + champion.name()
                  + " was trained with; retraining continues the champion's network (layers and"
                  + " updater), so use its model section (see registry show "
                  + champion.name()
                  + ", key config)"));
    }
  }

  /**
   * The test split, read once (and kept in memory) so that champion and challenger are evaluated on
   * the same examples, each through its own normalizer ({@link #batches}).
   *
   * @throws DataException if the data's class names are not the champion's ({@code labels.json})
   */
  private JavaRDD<Example> testExamples(LoadedCheckpoint champion, int partitions)
      throws IOException {
    TrainingData data = DataSources.read(sc, config.data(), partitions);
    LabelIndex.requireSame(
        LabelIndex.find(champion),
        data.labelIndex(),
        "champion " + champion.name(),
        "retraining continues its network, whose outputs are those classes");
    return data.test().persist(StorageLevel.MEMORY_ONLY_SER());
  }

  /**
   * The one place this job turns examples into minibatches (to score them): the given model's
   * normalizer, the config's label layout, number of classes and scoring batch size.
   */
  private JavaRDD<DataSet> batches(JavaRDD<Example> examples, Normalizer normalizer) {
    return MiniBatches.of(
        examples,
        config.evaluation().batchSize(),
        MiniBatches.LabelLayout.forOutput(config.model().outputLayer()),
        config.data().numClasses(),
        normalizer);
  }

  /**
   * The champion's saved normalizer; a champion saved before normalizers were gets the fixed
   * transform its config names ({@code none}, {@code image-scale}); a fitted kind without its file
   * cannot be fed the way it was trained.
   */
  private Normalizer championNormalizer(LoadedCheckpoint champion) throws IOException {
    Optional<Normalizer> saved = Normalizer.find(champion);
    if (saved.isPresent()) {
      return saved.get();
    }
    Normalization kind = trainedConfig(champion).map(c -> c.data().normalization()).orElse(null);
    if (kind == null) {
      kind = config.data().normalization();
    }
    return switch (kind) {
      case NONE -> Normalizer.none();
      case IMAGE_SCALE -> Normalizer.imageScale();
      default ->
          throw new DataException(
              "champion "
                  + champion.name()
                  + " was trained with data.normalization = "
                  + kind.configName()
                  + " but has no "
                  + Normalizer.FILE_NAME
                  + "; it cannot be evaluated the way it was trained");
    };
  }

  /** The config recorded with a registered model, if it validates. */
  private static Optional<JobConfig> trainedConfig(LoadedCheckpoint model) {
    try {
      return Optional.of(
          ConfigLoader.fromConfig(ConfigFactory.parseString(model.resolvedConfig())));
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the config recorded with {} ({})", model.name(), String.valueOf(e));
      return Optional.empty();
    }
  }

  private sparktrain.eval.EvaluationResult evaluate(MultiLayerNetwork net, JavaRDD<DataSet> test) {
    return DistributedEvaluator.evaluate(sc, net, test, config.model(), config.data().numClasses());
  }

  /** The challenger's manifest data: its parent is the champion version it continued. */
  private CheckpointMetadata metadata(
      LoadedCheckpoint challenger, String champion, Map<String, Object> input) {
    List<String> keys = new ArrayList<>();
    state.replaySources.forEach(s -> keys.add(TrainingInputs.key(s)));
    Map<String, Object> prov =
        new RetrainProvenance(champion, input, retrain.replayFraction(), keys, state.trainRunDir)
            .addTo(challenger.provenance());
    return new CheckpointMetadata(
        challenger.epoch(),
        challenger.iteration(),
        challenger.runId(),
        champion,
        state.challengerMetrics,
        challenger.resolvedConfig(),
        prov);
  }

  /** The champion's extra files (e.g. normalizer.json), replaced by the challenger's own. */
  private static Map<String, byte[]> extraFiles(
      LoadedCheckpoint champion, LoadedCheckpoint challenger) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : champion.extraFileNames()) {
      files.put(name, champion.extraFile(name));
    }
    for (String name : challenger.extraFileNames()) {
      files.put(name, challenger.extraFile(name));
    }
    return files;
  }

  private Map<String, Object> decisionInfo(PromotionPolicy.Verdict verdict) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("metric", retrain.metric().configName());
    d.put("min_improvement", retrain.minImprovement());
    d.put("normalizer", retrain.normalizer().configName());
    d.put("improvement", verdict.improvement());
    d.put("guard_rail_violations", verdict.violations());
    d.put("champion_version", state.championVersion);
    d.put("champion_metrics", state.championMetrics);
    d.put("challenger_metrics", state.challengerMetrics);
    d.put("retrain_output", state.out.toString());
    return new DecisionInfo(verdict.decision().value(), verdict.reason(), d).toMap();
  }

  private RetrainSummary finish(RetrainDecision decision, String reason) throws IOException {
    RetrainSummary s = summary(decision, reason, null);
    HadoopFiles.writeAtomically(state.outFs, new Path(state.out, "summary.json"), Json.pretty(s));
    writeReport();
    LOG.info(
        String.format(
            Locale.ROOT,
            "Retrain of %s: %s (champion %s, challenger %s): %s; summary: %s",
            state.registry,
            decision.value(),
            state.championAfter,
            state.challengerVersion == null ? "none" : state.challengerVersion,
            reason,
            new Path(state.out, "summary.json")));
    return s;
  }

  /** The decision's HTML report; a report that cannot be drawn never fails the retrain. */
  private void writeReport() {
    try {
      LOG.info("Report: {}", sparktrain.report.RetrainReport.write(state.outFs, state.out));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not write the retrain report in {}: {}", state.out, e.toString());
    }
  }

  private void writeFailed(Throwable e) {
    try {
      RetrainSummary s =
          summary(
              RetrainDecision.FAILED,
              state.championAfter == null
                  ? "the retrain failed before reading the champion"
                  : "the retrain failed; the champion is " + state.championAfter,
              String.valueOf(e.getMessage()));
      HadoopFiles.writeAtomically(state.outFs, new Path(state.out, "summary.json"), Json.pretty(s));
      writeReport();
    } catch (IOException | RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  private RetrainSummary summary(RetrainDecision decision, String reason, String error) {
    return new RetrainSummary(
        decision,
        reason,
        error,
        state.registry,
        retrain.metric().configName(),
        retrain.minImprovement(),
        state.improvement,
        state.violations,
        state.championVersion,
        state.challengerVersion,
        state.championAfter,
        state.championMetrics,
        state.challengerMetrics,
        state.newData,
        state.replaySources,
        state.trainExamples,
        state.testExamples,
        retrain.normalizer().configName(),
        state.trainRunDir,
        state.out.toString(),
        (System.nanoTime() - state.start) / 1e9,
        sc.master(),
        Versions.all());
  }
}
