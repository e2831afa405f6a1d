package sparktrain.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.config.ConfigException;
import sparktrain.config.JobConfig;
import sparktrain.config.Normalization;
import sparktrain.data.DataException;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.LabelIndex;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.spark.SparkPhase;

/**
 * A {@code train} run's data, read and prepared (the {@code read-data} phase): the training
 * examples for the engine, the evaluation minibatches cached, the normalizer the run uses and the
 * files saved with every checkpoint ({@code normalizer.json}, {@code labels.json}).
 *
 * @param trainExamples the training examples (shuffled once for the dl4j engine; the barrier engine
 *     deals and shuffles them itself), not normalized
 * @param trainBatches the same as normalized minibatches (dl4j engine; lazy, unused by barrier)
 * @param testBatches test minibatches, cached (in memory or on disk: {@link ScoringCache})
 * @param validationBatches validation minibatches, cached, when there is a validation split
 * @param dataFiles files saved with every checkpoint and the model
 */
record PreparedData(
    JavaRDD<Example> trainExamples,
    JavaRDD<DataSet> trainBatches,
    JavaRDD<DataSet> testBatches,
    Optional<JavaRDD<DataSet>> validationBatches,
    List<String> inputPaths,
    Map<String, byte[]> dataFiles,
    Normalizer normalizer,
    long trainCount,
    long testCount,
    Long validationCount,
    Map<String, Long> skippedRows) {
  private static final Logger LOG = LoggerFactory.getLogger(PreparedData.class);

  /**
   * Where the run starts from, for the normalizer and class-name checks.
   *
   * @param resumeFrom the run's own checkpoint to resume, if any
   * @param startFrom a model to continue (e.g. a registry's champion), or null
   * @param keepStartNormalizer with {@code startFrom}: keep its normalizer
   * @param moreTraining applied to the training examples as read
   * @param given examples to use instead of reading the config's data section, or null
   */
  record Start(
      Optional<LoadedCheckpoint> resumeFrom,
      LoadedCheckpoint startFrom,
      boolean keepStartNormalizer,
      UnaryOperator<JavaRDD<Example>> moreTraining,
      TrainingData given) {}

  /** Reads and prepares the data; counts every split (the phase's Spark jobs). */
  static PreparedData read(
      JavaSparkContext sc,
      JobConfig config,
      Start start,
      int partitions,
      boolean shuffleOnce,
      boolean spooled,
      MiniBatches.LabelLayout layout)
      throws IOException {
    var data = config.data();
    var training = config.training();
    try (SparkPhase p = SparkPhase.start(sc, "read-data", "Read and batch the input data")) {
      TrainingData input =
          start.given() != null ? start.given() : DataSources.read(sc, data, partitions, spooled);
      checkInputSize(config, input);
      JavaRDD<Example> trainEx = start.moreTraining().apply(input.train());
      JavaRDD<Example> testEx = input.test();
      Normalizer normalizer = normalizer(config, input, trainEx, start);
      Map<String, byte[]> dataFiles = dataFiles(normalizer, input, start);
      if (shuffleOnce) {
        trainEx = Shuffle.examples(trainEx, training.seed(), partitions);
      }
      int batch = training.batchSizePerWorker();
      JavaRDD<DataSet> trainBatches =
          MiniBatches.of(trainEx, batch, layout, data.numClasses(), normalizer);
      // scored, not fitted: the scoring minibatch size (evaluation.batch-size)
      int scoring = config.evaluation().batchSize();
      int width = config.model().input().size();
      long testCount = testEx.count();
      Long validationCount = input.validation().map(JavaRDD::count).orElse(null);
      JavaRDD<DataSet> testBatches =
          MiniBatches.of(testEx, scoring, layout, data.numClasses(), normalizer)
              .persist(ScoringCache.level(sc, testCount, width));
      Optional<JavaRDD<DataSet>> validationBatches =
          input
              .validation()
              .map(
                  v ->
                      MiniBatches.of(v, scoring, layout, data.numClasses(), normalizer)
                          .persist(ScoringCache.level(sc, validationCount, width)));
      return new PreparedData(
          trainEx,
          trainBatches,
          testBatches,
          validationBatches,
          input.inputs(),
          dataFiles,
          normalizer,
          trainEx.count(),
          testCount,
          validationCount,
          input.skippedRows());
    }
  }

  /** Drops the cached evaluation minibatches. */
  void unpersist() {
    testBatches.unpersist(false);
    validationBatches.ifPresent(v -> v.unpersist(false));
  }

  /** The data's feature count must be the network's input size (when the data names them). */
  private static void checkInputSize(JobConfig config, TrainingData input) {
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
  private static Normalizer normalizer(
      JobConfig config, TrainingData input, JavaRDD<Example> train, Start start)
      throws IOException {
    if (start.resumeFrom().isPresent()) {
      Optional<Normalizer> saved = Normalizer.find(start.resumeFrom().get());
      if (saved.isPresent()) {
        return saved.get();
      }
    }
    if (start.startFrom() != null && start.keepStartNormalizer()) {
      return keptNormalizer(config, start.startFrom(), input);
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
  private static Normalizer keptNormalizer(
      JobConfig config, LoadedCheckpoint start, TrainingData input) throws IOException {
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
  private static Map<String, byte[]> dataFiles(
      Normalizer normalizer, TrainingData input, Start start) throws IOException {
    Optional<LoadedCheckpoint> resumeFrom = start.resumeFrom();
    if (resumeFrom.isPresent() && Normalizer.find(resumeFrom.get()).isPresent()) {
      LabelIndex.requireSame(
          LabelIndex.find(resumeFrom.get()),
          input.labelIndex(),
          "checkpoint " + resumeFrom.get().uri(),
          "a resumed run maps class names as its checkpoint did");
    }
    if (resumeFrom.isEmpty() && start.startFrom() != null) {
      LabelIndex.requireSame(
          LabelIndex.find(start.startFrom()),
          input.labelIndex(),
          start.startFrom().uri(),
          "its network is continued, and its output units are those classes");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(Normalizer.FILE_NAME, normalizer.toJson());
    input.labelIndex().ifPresent(index -> files.put(LabelIndex.FILE_NAME, index.toJson()));
    return files;
  }
}
