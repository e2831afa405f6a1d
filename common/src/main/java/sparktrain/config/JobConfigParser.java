package sparktrain.config;

import static sparktrain.config.ConfigKeys.CHECKPOINT_DIR;
import static sparktrain.config.ConfigKeys.CHECKPOINT_EVERY_N_EPOCHS;
import static sparktrain.config.ConfigKeys.CHECKPOINT_EVERY_N_ROUNDS;
import static sparktrain.config.ConfigKeys.CHECKPOINT_KEEP_BEST;
import static sparktrain.config.ConfigKeys.CHECKPOINT_KEEP_LAST;
import static sparktrain.config.ConfigKeys.DATA_BAD_ROWS;
import static sparktrain.config.ConfigKeys.DATA_CSV_DELIMITER;
import static sparktrain.config.ConfigKeys.DATA_CSV_HEADER;
import static sparktrain.config.ConfigKeys.DATA_EXCLUDE;
import static sparktrain.config.ConfigKeys.DATA_FEATURES;
import static sparktrain.config.ConfigKeys.DATA_FORMAT;
import static sparktrain.config.ConfigKeys.DATA_LABEL;
import static sparktrain.config.ConfigKeys.DATA_LABEL_ENCODING;
import static sparktrain.config.ConfigKeys.DATA_LIBSVM_NUM_FEATURES;
import static sparktrain.config.ConfigKeys.DATA_NORMALIZATION;
import static sparktrain.config.ConfigKeys.DATA_NUM_CLASSES;
import static sparktrain.config.ConfigKeys.DATA_ONE_HOT_LABEL;
import static sparktrain.config.ConfigKeys.DATA_PARTITIONS;
import static sparktrain.config.ConfigKeys.DATA_PATH;
import static sparktrain.config.ConfigKeys.DATA_SPLIT_TEST;
import static sparktrain.config.ConfigKeys.DATA_SPLIT_VALIDATION;
import static sparktrain.config.ConfigKeys.DATA_TEST_IMAGES;
import static sparktrain.config.ConfigKeys.DATA_TEST_LABELS;
import static sparktrain.config.ConfigKeys.DATA_TEST_LIMIT;
import static sparktrain.config.ConfigKeys.DATA_TEST_PATH;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_IMAGES;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_LABELS;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_LIMIT;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_OFFSET;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_PATH;
import static sparktrain.config.ConfigKeys.DATA_VALIDATION_IMAGES;
import static sparktrain.config.ConfigKeys.DATA_VALIDATION_LABELS;
import static sparktrain.config.ConfigKeys.DATA_VALIDATION_PATH;
import static sparktrain.config.ConfigKeys.EARLY_STOPPING_METRIC;
import static sparktrain.config.ConfigKeys.EARLY_STOPPING_MIN_DELTA;
import static sparktrain.config.ConfigKeys.EARLY_STOPPING_MODE;
import static sparktrain.config.ConfigKeys.EARLY_STOPPING_PATIENCE;
import static sparktrain.config.ConfigKeys.EARLY_STOPPING_RESTORE_BEST;
import static sparktrain.config.ConfigKeys.EVALUATION_BATCH_SIZE;
import static sparktrain.config.ConfigKeys.MODEL_DROPOUT;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_CHANNELS;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_HEIGHT;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_SIZE;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_TYPE;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_WIDTH;
import static sparktrain.config.ConfigKeys.MODEL_L1;
import static sparktrain.config.ConfigKeys.MODEL_L2;
import static sparktrain.config.ConfigKeys.MODEL_LAYERS;
import static sparktrain.config.ConfigKeys.MODEL_WEIGHT_INIT;
import static sparktrain.config.ConfigKeys.OUTPUT_DIR;
import static sparktrain.config.ConfigKeys.OUTPUT_LEASE_TTL;
import static sparktrain.config.ConfigKeys.PLATEAU_COOLDOWN;
import static sparktrain.config.ConfigKeys.PLATEAU_FACTOR;
import static sparktrain.config.ConfigKeys.PLATEAU_METRIC;
import static sparktrain.config.ConfigKeys.PLATEAU_MIN_DELTA;
import static sparktrain.config.ConfigKeys.PLATEAU_MIN_LEARNING_RATE;
import static sparktrain.config.ConfigKeys.PLATEAU_MODE;
import static sparktrain.config.ConfigKeys.PLATEAU_PATIENCE;
import static sparktrain.config.ConfigKeys.RETRAIN_EPOCHS;
import static sparktrain.config.ConfigKeys.RETRAIN_GUARD_RAILS;
import static sparktrain.config.ConfigKeys.RETRAIN_LOCK_TTL;
import static sparktrain.config.ConfigKeys.RETRAIN_METRIC;
import static sparktrain.config.ConfigKeys.RETRAIN_MIN_IMPROVEMENT;
import static sparktrain.config.ConfigKeys.RETRAIN_NORMALIZER;
import static sparktrain.config.ConfigKeys.RETRAIN_REPLAY_FRACTION;
import static sparktrain.config.ConfigKeys.SCHEDULE_DECAY;
import static sparktrain.config.ConfigKeys.SCHEDULE_MIN_LEARNING_RATE;
import static sparktrain.config.ConfigKeys.SCHEDULE_PERIOD;
import static sparktrain.config.ConfigKeys.SCHEDULE_STEP;
import static sparktrain.config.ConfigKeys.SCHEDULE_TYPE;
import static sparktrain.config.ConfigKeys.SCHEDULE_UNIT;
import static sparktrain.config.ConfigKeys.TRAINING_AGGREGATION_DEPTH;
import static sparktrain.config.ConfigKeys.TRAINING_AVERAGING_FREQUENCY;
import static sparktrain.config.ConfigKeys.TRAINING_BATCH_SIZE_PER_WORKER;
import static sparktrain.config.ConfigKeys.TRAINING_CLASS_WEIGHTS;
import static sparktrain.config.ConfigKeys.TRAINING_COLLECTIVE_TIMEOUT;
import static sparktrain.config.ConfigKeys.TRAINING_DATA_PATH;
import static sparktrain.config.ConfigKeys.TRAINING_ENGINE;
import static sparktrain.config.ConfigKeys.TRAINING_EPOCHS;
import static sparktrain.config.ConfigKeys.TRAINING_EVALUATE_EVERY_EPOCH;
import static sparktrain.config.ConfigKeys.TRAINING_JIT;
import static sparktrain.config.ConfigKeys.TRAINING_PREFETCH;
import static sparktrain.config.ConfigKeys.TRAINING_PROGRESS_INTERVAL;
import static sparktrain.config.ConfigKeys.TRAINING_RDD_APPROACH;
import static sparktrain.config.ConfigKeys.TRAINING_REPARTITION;
import static sparktrain.config.ConfigKeys.TRAINING_RING_SECURITY;
import static sparktrain.config.ConfigKeys.TRAINING_SEED;
import static sparktrain.config.ConfigKeys.TRAINING_SHUFFLE;
import static sparktrain.config.ConfigKeys.TRAINING_SHUFFLE_BUFFER;
import static sparktrain.config.ConfigKeys.TRAINING_SPOOL_DIR;
import static sparktrain.config.ConfigKeys.TRAINING_WARM_UP;
import static sparktrain.config.ConfigKeys.TRAINING_WORKERS;
import static sparktrain.config.ConfigKeys.UPDATER_BETA1;
import static sparktrain.config.ConfigKeys.UPDATER_BETA2;
import static sparktrain.config.ConfigKeys.UPDATER_EPSILON;
import static sparktrain.config.ConfigKeys.UPDATER_LEARNING_RATE;
import static sparktrain.config.ConfigKeys.UPDATER_MOMENTUM;
import static sparktrain.config.ConfigKeys.UPDATER_TYPE;
import static sparktrain.config.ConfigKeys.UPDATER_WEIGHT_DECAY;
import static sparktrain.config.ConfigKeys.WORKLOAD;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sparktrain.config.ConfigKeys.Key;

/**
 * Reads a merged, resolved config into a {@link JobConfig}, collecting every problem: types,
 * ranges, enum spellings, required values, the layer list and the output layer's consistency.
 */
final class JobConfigParser {

  private final Config config;
  private final List<String> problems;
  private final ConfigReader in;
  private DataFormat format;
  private ConfigReader outputLayerReader;
  private final List<ConfigReader> layerReaders = new ArrayList<>();

  private JobConfigParser(Config config, List<String> problems) {
    this.config = config;
    this.problems = problems;
    this.in = new ConfigReader(config, "", config.root().origin(), problems);
  }

  /**
   * Parses {@code resolved}; throws a {@link ConfigException} with the given {@code problems} plus
   * those found here, if there are any.
   */
  static JobConfig parse(Config resolved, List<String> problems) {
    JobConfig job = new JobConfigParser(resolved, problems).job();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return job;
  }

  /** {@code training.shuffle-buffer}: auto, a number of examples, or a size such as 64MB. */
  private ShuffleBufferSize shuffleBuffer() {
    String text = in.string(TRAINING_SHUFFLE_BUFFER).trim();
    if (text.isEmpty() || text.equals("auto")) {
      return ShuffleBufferSize.auto();
    }
    try {
      if (text.matches("\\d+")) {
        long examples = Long.parseLong(text);
        if (examples >= 1) {
          return new ShuffleBufferSize(examples, 0);
        }
      } else {
        long bytes =
            com.typesafe.config.ConfigFactory.parseString("b = \"" + text + "\"").getBytes("b");
        if (bytes >= 1024) {
          return new ShuffleBufferSize(0, bytes);
        }
      }
    } catch (NumberFormatException | com.typesafe.config.ConfigException e) {
      // reported below
    }
    in.problem(
        TRAINING_SHUFFLE_BUFFER,
        "expected auto, a number of examples (>= 1) or a size such as 64MB (>= 1KB), got '"
            + text
            + "'");
    return ShuffleBufferSize.auto();
  }

  private JobConfig job() {
    String workload = in.string(WORKLOAD);
    DataSection dataSection = data();
    ModelConfig model = model();
    long seed = in.longInteger(TRAINING_SEED);
    DataConfig data = dataSection.with(model == null ? Task.CLASSIFICATION : taskOf(model), seed);
    TrainingConfig training =
        new TrainingConfig(
            in.integer(TRAINING_EPOCHS),
            in.integer(TRAINING_BATCH_SIZE_PER_WORKER),
            in.integer(TRAINING_AVERAGING_FREQUENCY),
            in.integer(TRAINING_WORKERS),
            in.integer(TRAINING_PREFETCH),
            in.oneOf(TRAINING_RDD_APPROACH, RddApproach.class),
            in.oneOf(TRAINING_REPARTITION, RepartitionPolicy.class),
            in.integer(TRAINING_AGGREGATION_DEPTH),
            seed,
            in.bool(TRAINING_SHUFFLE),
            in.bool(TRAINING_EVALUATE_EVERY_EPOCH),
            in.duration(TRAINING_PROGRESS_INTERVAL),
            in.oneOf(TRAINING_ENGINE, TrainingEngineKind.class),
            in.duration(TRAINING_COLLECTIVE_TIMEOUT),
            in.oneOf(TRAINING_DATA_PATH, DataPath.class),
            shuffleBuffer(),
            in.string(TRAINING_SPOOL_DIR),
            in.oneOf(TRAINING_RING_SECURITY, RingSecurity.class),
            earlyStopping(data),
            plateau(data, model),
            classWeights(data, model),
            in.oneOf(TRAINING_WARM_UP, WarmUp.class),
            in.oneOf(TRAINING_JIT, JitMode.class));
    CheckpointConfig checkpoint =
        new CheckpointConfig(
            in.string(CHECKPOINT_DIR),
            in.integer(CHECKPOINT_EVERY_N_EPOCHS),
            in.integer(CHECKPOINT_KEEP_LAST),
            in.bool(CHECKPOINT_KEEP_BEST),
            in.integer(CHECKPOINT_EVERY_N_ROUNDS));
    OutputConfig output = new OutputConfig(in.string(OUTPUT_DIR), in.duration(OUTPUT_LEASE_TTL));
    if (model != null && in.ok(DATA_NUM_CLASSES)) {
      OutputRules.check(model.outputLayer(), outputLayerReader, data.numClasses(), in);
    }
    checkLabels(data, model);
    RetrainConfig retrain = retrain();
    EvaluationConfig evaluation = new EvaluationConfig(in.integer(EVALUATION_BATCH_SIZE));
    return new JobConfig(
        workload, data, model, training, checkpoint, output, retrain, evaluation, config);
  }

  /**
   * {@code training.early-stopping}: off without a metric; else the metric must be one the
   * validation of this task reports, and a validation split must exist.
   */
  private EarlyStoppingConfig earlyStopping(DataConfig data) {
    String metric = in.string(EARLY_STOPPING_METRIC);
    MetricMode mode = in.oneOf(EARLY_STOPPING_MODE, MetricMode.class);
    int patience = in.integer(EARLY_STOPPING_PATIENCE);
    double minDelta = in.decimal(EARLY_STOPPING_MIN_DELTA);
    boolean restoreBest = in.bool(EARLY_STOPPING_RESTORE_BEST);
    if (metric.isBlank() || !in.ok(EARLY_STOPPING_METRIC)) {
      return EarlyStoppingConfig.OFF;
    }
    watchedMetric(EARLY_STOPPING_METRIC, metric, data, "early stopping");
    return new EarlyStoppingConfig(
        metric,
        mode != null && WatchedMetric.minimize(metric, mode),
        patience,
        minDelta,
        restoreBest);
  }

  /**
   * {@code training.plateau}: off without a metric; else as early stopping's metric, and the
   * learning rate must not follow a schedule of its own.
   */
  private PlateauConfig plateau(DataConfig data, ModelConfig model) {
    String metric = in.string(PLATEAU_METRIC);
    MetricMode mode = in.oneOf(PLATEAU_MODE, MetricMode.class);
    double factor = in.decimal(PLATEAU_FACTOR);
    int patience = in.integer(PLATEAU_PATIENCE);
    double minDelta = in.decimal(PLATEAU_MIN_DELTA);
    int cooldown = in.integer(PLATEAU_COOLDOWN);
    double minLearningRate = in.decimal(PLATEAU_MIN_LEARNING_RATE);
    if (metric.isBlank() || !in.ok(PLATEAU_METRIC)) {
      return PlateauConfig.OFF;
    }
    watchedMetric(PLATEAU_METRIC, metric, data, "the plateau schedule");
    if (in.ok(PLATEAU_FACTOR) && factor <= 0) {
      in.problem(PLATEAU_FACTOR, "expected a value in (0, 1), got " + factor);
    }
    if (model != null && model.updater().schedule().type() != ScheduleType.NONE) {
      in.problem(
          PLATEAU_METRIC,
          "the plateau schedule sets the learning rate itself: set model.updater.schedule.type ="
              + " none (it is "
              + model.updater().schedule().type().configName()
              + ")");
    }
    return new PlateauConfig(
        metric,
        mode != null && WatchedMetric.minimize(metric, mode),
        factor,
        patience,
        minDelta,
        cooldown,
        minLearningRate);
  }

  /**
   * {@code training.class-weights}: none, balanced, or class index = weight; only for softmax
   * outputs (DL4J's weighted cross-entropies).
   */
  private ClassWeightsConfig classWeights(DataConfig data, ModelConfig model) {
    Key key = TRAINING_CLASS_WEIGHTS;
    ConfigValue value;
    try {
      value = config.getValue(key.path());
    } catch (com.typesafe.config.ConfigException e) {
      // missing, or "training" is not a section: reported with the other training keys
      return ClassWeightsConfig.NONE;
    }
    String where = key.path() + " (" + ConfigReader.where(value.origin()) + "): ";
    ClassWeightsConfig weights;
    if (value.valueType() == ConfigValueType.STRING) {
      String text = (String) value.unwrapped();
      if (text.equals("none")) {
        return ClassWeightsConfig.NONE;
      }
      if (!text.equals("balanced")) {
        problems.add(
            where
                + "expected none, balanced or a section of class index = weight, got \""
                + text
                + "\"");
        return ClassWeightsConfig.NONE;
      }
      weights = new ClassWeightsConfig(true, Map.of());
    } else if (value instanceof ConfigObject object) {
      if (object.isEmpty()) {
        return ClassWeightsConfig.NONE;
      }
      Map<Integer, Double> explicit = new LinkedHashMap<>();
      for (String name : new TreeSet<>(object.keySet())) {
        Object w = object.get(name).unwrapped();
        int index = -1;
        try {
          index = Integer.parseInt(name);
        } catch (NumberFormatException e) {
          // reported below
        }
        if (index < 0 || index >= Math.max(data.classCount(), 1)) {
          problems.add(
              where
                  + "expected class indexes 0.."
                  + (data.classCount() - 1)
                  + " as keys, got \""
                  + name
                  + "\"");
        } else if (!(w instanceof Number n) || !(n.doubleValue() > 0)) {
          problems.add(where + "class " + name + ": expected a weight > 0, got " + w);
        } else {
          explicit.put(index, n.doubleValue());
        }
      }
      weights = new ClassWeightsConfig(false, explicit);
    } else {
      problems.add(
          where
              + "expected none, balanced or a section of class index = weight, got "
              + ConfigReader.describe(value));
      return ClassWeightsConfig.NONE;
    }
    if (model != null) {
      LossFunction loss = model.outputLayer().loss();
      if (loss != LossFunction.MCXENT && loss != LossFunction.SPARSE_MCXENT) {
        problems.add(
            where
                + "class weights need a softmax output with loss mcxent or sparse-mcxent (DL4J's"
                + " weighted cross-entropy); the output layer's loss is "
                + loss.configName()
                + " (for a binary label, use units = 2, activation = softmax, loss ="
                + " sparse-mcxent, data.num-classes = 2)");
      }
    }
    return weights;
  }

  /** A watched validation metric: one the task reports, on a job with a validation split. */
  private void watchedMetric(Key key, String metric, DataConfig data, String what) {
    List<String> known = WatchedMetric.of(data.task());
    if (!known.contains(metric)) {
      in.problem(
          key,
          "expected a metric the validation split reports for this model ("
              + String.join(", ", known)
              + "), got \""
              + metric
              + "\""
              + UnknownKeys.suggestion(metric, known));
    }
    if (!hasValidation(data)) {
      in.problem(
          key,
          what
              + " watches the validation split, and this job has none: set"
              + " data.split.validation (a fraction of the training data) or data.validation.*"
              + " (it never watches the test split)");
    }
  }

  private static boolean hasValidation(DataConfig data) {
    return data.split().validation() > 0
        || data.validation().hasIdx()
        || data.validation().hasPath();
  }

  private RetrainConfig retrain() {
    return new RetrainConfig(
        in.integer(RETRAIN_EPOCHS),
        in.oneOf(RETRAIN_METRIC, RetrainMetric.class),
        in.decimal(RETRAIN_MIN_IMPROVEMENT),
        guardRails(),
        in.decimal(RETRAIN_REPLAY_FRACTION),
        in.duration(RETRAIN_LOCK_TTL),
        in.oneOf(RETRAIN_NORMALIZER, RetrainNormalizer.class));
  }

  /** {@code retrain.guard-rails}: an open section of metric name = largest allowed regression. */
  private Map<RetrainMetric, Double> guardRails() {
    Map<RetrainMetric, Double> rails = new LinkedHashMap<>();
    ConfigValue section = config.getValue(RETRAIN_GUARD_RAILS.path());
    if (!(section instanceof ConfigObject object)) {
      in.problem(
          RETRAIN_GUARD_RAILS,
          "expected a section of metric = largest allowed regression, e.g. { loss = 0.05 }, got "
              + ConfigReader.describe(section));
      return rails;
    }
    List<String> names = new ArrayList<>();
    for (RetrainMetric m : RetrainMetric.values()) {
      names.add(m.configName());
    }
    for (String name : new TreeSet<>(object.keySet())) {
      Key key =
          Key.of(
              RETRAIN_GUARD_RAILS.path() + "." + ConfigUtil.joinPath(name),
              RETRAIN_GUARD_RAILS.range());
      RetrainMetric metric = null;
      for (RetrainMetric m : RetrainMetric.values()) {
        if (m.configName().equals(name)) {
          metric = m;
        }
      }
      if (metric == null) {
        in.problem(
            key,
            "unknown metric; expected one of "
                + ConfigEnum.allowed(RetrainMetric.class)
                + UnknownKeys.suggestion(name, names));
        continue;
      }
      double limit = in.decimal(key);
      if (in.ok(key)) {
        rails.put(metric, limit);
      }
    }
    return rails;
  }

  /**
   * The data section as read (its problems reported in the order of the sections), waiting for the
   * values derived from the others: {@code task} from the output layer's loss and {@code seed} (of
   * the split) from training.seed.
   */
  private interface DataSection {
    DataConfig with(Task task, long seed);
  }

  private DataSection data() {
    format = in.oneOf(DATA_FORMAT, DataFormat.class);
    SplitPaths train =
        new SplitPaths(
            idxPath(DATA_TRAIN_IMAGES, true),
            idxPath(DATA_TRAIN_LABELS, true),
            inputPath(DATA_TRAIN_PATH));
    SplitPaths validation =
        new SplitPaths(
            idxPath(DATA_VALIDATION_IMAGES, false),
            idxPath(DATA_VALIDATION_LABELS, false),
            inputPath(DATA_VALIDATION_PATH));
    SplitPaths test =
        new SplitPaths(
            idxPath(DATA_TEST_IMAGES, true),
            idxPath(DATA_TEST_LABELS, true),
            inputPath(DATA_TEST_PATH));
    String path = inputPath(DATA_PATH);
    if (format == DataFormat.IDX) {
      idxPair(validation, DATA_VALIDATION_IMAGES, DATA_VALIDATION_LABELS);
    } else if (format != null) {
      mainInput(path, train);
    }
    SplitFractions split = split(test);
    CsvOptions csv = new CsvOptions(in.bool(DATA_CSV_HEADER), delimiter());
    int libsvmNumFeatures = in.integer(DATA_LIBSVM_NUM_FEATURES);
    if (format == DataFormat.LIBSVM && in.ok(DATA_LIBSVM_NUM_FEATURES) && libsvmNumFeatures < 1) {
      in.problem(
          DATA_LIBSVM_NUM_FEATURES,
          "expected the number of features (>= 1; required when data.format is libsvm), got "
              + libsvmNumFeatures);
    }
    ColumnsConfig columns = columns(csv);
    BadRowPolicy badRows = in.oneOf(DATA_BAD_ROWS, BadRowPolicy.class);
    int trainLimit = in.integer(DATA_TRAIN_LIMIT);
    int testLimit = in.integer(DATA_TEST_LIMIT);
    int numClasses = in.integer(DATA_NUM_CLASSES);
    Normalization normalization = in.oneOf(DATA_NORMALIZATION, Normalization.class);
    if (normalization == Normalization.AUTO && format != null) {
      normalization =
          format == DataFormat.IDX ? Normalization.IMAGE_SCALE : Normalization.STANDARDIZE;
    }
    DataFormat dataFormat = format;
    Normalization resolved = normalization;
    int trainOffset = in.integer(DATA_TRAIN_OFFSET);
    int partitions = in.integer(DATA_PARTITIONS);
    return (task, seed) ->
        new DataConfig(
            dataFormat,
            path,
            train,
            validation,
            test,
            split,
            csv,
            libsvmNumFeatures,
            columns,
            badRows,
            trainLimit,
            trainOffset,
            testLimit,
            numClasses,
            resolved,
            partitions,
            task,
            seed);
  }

  /** An IDX file path: required for idx when {@code required}, not used by other formats. */
  private String idxPath(Key key, boolean required) {
    String path = in.string(key);
    if (!in.ok(key) || format == null) {
      return path;
    }
    if (format == DataFormat.IDX && required && path.isBlank()) {
      in.problem(key, "expected a path (required when data.format is idx), got \"" + path + "\"");
    } else if (format != DataFormat.IDX && !path.isBlank()) {
      in.problem(
          key,
          "only used when data.format is idx (this job's format is "
              + format.configName()
              + "; use data.path or data.train.path)");
    }
    return path;
  }

  /** A csv/parquet/libsvm input path; not used by idx. */
  private String inputPath(Key key) {
    String path = in.string(key);
    if (format == DataFormat.IDX && in.ok(key) && !path.isBlank()) {
      in.problem(
          key, "not used when data.format is idx (IDX files are data.<split>.images and .labels)");
    }
    return path;
  }

  /** IDX validation images and labels come together or not at all. */
  private void idxPair(SplitPaths split, Key images, Key labels) {
    if (split.images().isBlank() != split.labels().isBlank()) {
      Key missing = split.images().isBlank() ? images : labels;
      in.problem(
          missing,
          "expected a path: " + images + " and " + labels + " are given together, or neither");
    }
  }

  /** Exactly one of data.path and data.train.path names the main input of a tabular format. */
  private void mainInput(String path, SplitPaths train) {
    if (!in.ok(DATA_PATH) || !in.ok(DATA_TRAIN_PATH)) {
      return;
    }
    if (path.isBlank() && !train.hasPath()) {
      in.problem(
          DATA_PATH,
          "expected the input (a file, directory or glob; required when data.format is "
              + format.configName()
              + "): data.path, split by data.split, or data.train.path");
    } else if (!path.isBlank() && train.hasPath()) {
      in.problem(
          DATA_TRAIN_PATH,
          "expected either data.path (split by data.split) or data.train.path, got both (data.path"
              + " = \""
              + path
              + "\")");
    }
  }

  /** The split fractions; they must leave rows for training, and a test split must exist. */
  private SplitFractions split(SplitPaths test) {
    double validation = in.decimal(DATA_SPLIT_VALIDATION);
    double testFraction = in.decimal(DATA_SPLIT_TEST);
    if (!in.ok(DATA_SPLIT_VALIDATION) || !in.ok(DATA_SPLIT_TEST)) {
      return new SplitFractions(validation, testFraction);
    }
    if (validation + testFraction >= 1) {
      in.problem(
          DATA_SPLIT_TEST,
          "expected data.split.validation + data.split.test < 1 (training gets the rest), got "
              + validation
              + " + "
              + testFraction);
    } else if (format != null && format != DataFormat.IDX && testFraction == 0 && !test.hasPath()) {
      in.problem(
          DATA_SPLIT_TEST,
          "expected a fraction > 0, or a data.test.path: the job needs a test split to evaluate");
    }
    return new SplitFractions(validation, testFraction);
  }

  private char delimiter() {
    String text = in.string(DATA_CSV_DELIMITER);
    if (!in.ok(DATA_CSV_DELIMITER)) {
      return ',';
    }
    if (text.length() != 1 || text.equals("\"") || text.equals("\n") || text.equals("\r")) {
      in.problem(
          DATA_CSV_DELIMITER,
          "expected one character other than a quote or a line break (\"\\t\" for tab), got \""
              + text.replace("\t", "\\t").replace("\n", "\\n")
              + "\"");
      return ',';
    }
    return text.charAt(0);
  }

  /** The label and feature columns, checked against the format. */
  private ColumnsConfig columns(CsvOptions csv) {
    ColumnsConfig columns =
        new ColumnsConfig(
            in.string(DATA_LABEL),
            in.stringList(DATA_ONE_HOT_LABEL),
            in.stringList(DATA_FEATURES),
            in.stringList(DATA_EXCLUDE),
            in.oneOf(DATA_LABEL_ENCODING, LabelEncoding.class));
    if (format == null) {
      return columns;
    }
    boolean hasLabel = !columns.label().isBlank();
    boolean hasOneHot = !columns.oneHotLabel().isEmpty();
    if (!format.hasColumns()) {
      String why =
          format == DataFormat.IDX
              ? "IDX has separate label files"
              : "the label is the first value of each line";
      notUsed(DATA_LABEL, hasLabel, why);
      notUsed(DATA_ONE_HOT_LABEL, hasOneHot, why);
      notUsed(DATA_FEATURES, !columns.features().isEmpty(), why);
      notUsed(DATA_EXCLUDE, !columns.exclude().isEmpty(), why);
      return columns;
    }
    if (!hasLabel && !hasOneHot && in.ok(DATA_LABEL) && in.ok(DATA_ONE_HOT_LABEL)) {
      in.problem(
          DATA_LABEL,
          "expected the label column, by name or 0-based index (required when data.format is "
              + format.configName()
              + "), got \"\"");
    } else if (hasLabel && hasOneHot) {
      in.problem(
          DATA_ONE_HOT_LABEL,
          "expected either data.label or data.one-hot-label, got both (data.label = \""
              + columns.label()
              + "\")");
    }
    if (hasLabel) {
      columnNames(DATA_LABEL, List.of(columns.label()), csv);
    }
    columnNames(DATA_ONE_HOT_LABEL, columns.oneHotLabel(), csv);
    columnNames(DATA_FEATURES, columns.features(), csv);
    columnNames(DATA_EXCLUDE, columns.exclude(), csv);
    return columns;
  }

  private void notUsed(Key key, boolean given, String why) {
    if (given && in.ok(key)) {
      in.problem(key, "not used when data.format is " + format.configName() + " (" + why + ")");
    }
  }

  /** Column references must not be blank, and names need a CSV header. */
  private void columnNames(Key key, List<String> names, CsvOptions csv) {
    if (!in.ok(key)) {
      return;
    }
    for (String name : names) {
      if (name.isBlank()) {
        in.problem(key, "expected column names or 0-based indexes, got a blank entry");
        return;
      }
      if (format == DataFormat.CSV && !csv.header() && !ColumnsConfig.isIndex(name)) {
        in.problem(
            key,
            "'"
                + name
                + "' is a column name, but data.csv.header = false: give a 0-based column index");
        return;
      }
    }
  }

  private static Task taskOf(ModelConfig model) {
    return Task.of(model.outputLayer().loss(), model.outputLayer().units());
  }

  /** Reports label settings of the data section that do not fit its task. */
  private void checkLabels(DataConfig data, ModelConfig model) {
    if (model == null) {
      return;
    }
    LayerConfig output = model.outputLayer();
    Task task = data.task();
    ColumnsConfig columns = data.columns();
    boolean oneHot = !columns.oneHotLabel().isEmpty();
    String loss = output.loss().configName();
    if (task == Task.REGRESSION && columns.labelEncoding() == LabelEncoding.NAMES) {
      in.problem(
          DATA_LABEL_ENCODING,
          "names needs a classification loss; the output layer's loss " + loss + " takes numbers");
    }
    if (oneHot && in.ok(DATA_ONE_HOT_LABEL) && in.ok(DATA_NUM_CLASSES)) {
      if (task == Task.REGRESSION) {
        in.problem(
            DATA_ONE_HOT_LABEL,
            "one-hot labels need a classification loss; the output layer's loss "
                + loss
                + " takes numbers");
      } else if (columns.oneHotLabel().size() != data.classCount()) {
        in.problem(
            DATA_ONE_HOT_LABEL,
            "expected one column per class ("
                + data.classCount()
                + (task == Task.BINARY ? " for a binary output" : ", data.num-classes")
                + "), got "
                + columns.oneHotLabel().size());
      }
      if (columns.labelEncoding() == LabelEncoding.NAMES) {
        in.problem(DATA_LABEL_ENCODING, "names does not apply to one-hot label columns");
      }
    }
  }

  /** The model section, or null when its layer list is unusable (the problems are reported). */
  private ModelConfig model() {
    InputConfig input = input();
    WeightInit weightInit = in.oneOf(MODEL_WEIGHT_INIT, WeightInit.class);
    double l1 = in.decimal(MODEL_L1);
    double l2 = in.decimal(MODEL_L2);
    double dropout = in.decimal(MODEL_DROPOUT);
    double learningRate = in.decimal(UPDATER_LEARNING_RATE);
    UpdaterConfig updater =
        new UpdaterConfig(
            in.oneOf(UPDATER_TYPE, UpdaterType.class),
            learningRate,
            in.decimal(UPDATER_MOMENTUM),
            in.decimal(UPDATER_BETA1),
            in.decimal(UPDATER_BETA2),
            in.decimal(UPDATER_EPSILON),
            in.decimal(UPDATER_WEIGHT_DECAY),
            schedule(learningRate));
    LayerConfig defaults = new LayerConfig(null, 0, null, null, dropout, l1, l2, weightInit);
    List<LayerConfig> layers = layers(defaults);
    if (layers != null) {
      LayerShapes.check(input, layers, layerReaders);
    }
    return layers == null
        ? null
        : new ModelConfig(input, layers, weightInit, l1, l2, dropout, updater);
  }

  /** The input shape: {@code size} for feed-forward, height x width x channels for an image. */
  private InputConfig input() {
    InputType type = in.oneOf(MODEL_INPUT_TYPE, InputType.class);
    int size = in.integer(MODEL_INPUT_SIZE);
    int height = in.integer(MODEL_INPUT_HEIGHT);
    int width = in.integer(MODEL_INPUT_WIDTH);
    int channels = in.integer(MODEL_INPUT_CHANNELS);
    if (type != InputType.IMAGE) {
      return new InputConfig(type, size, 0, 0, 0);
    }
    if ((long) height * width * channels > Integer.MAX_VALUE) {
      in.problem(
          MODEL_INPUT_HEIGHT,
          "expected height x width x channels <= "
              + Integer.MAX_VALUE
              + ", got "
              + height
              + " x "
              + width
              + " x "
              + channels);
      return new InputConfig(null, 0, 0, 0, 0);
    }
    return InputConfig.image(height, width, channels);
  }

  /** The learning-rate schedule; cosine needs a period and a minimum below the learning rate. */
  private ScheduleConfig schedule(double learningRate) {
    ScheduleType type = in.oneOf(SCHEDULE_TYPE, ScheduleType.class);
    int period = in.integer(SCHEDULE_PERIOD);
    double min = in.decimal(SCHEDULE_MIN_LEARNING_RATE);
    if (type == ScheduleType.COSINE) {
      if (in.ok(SCHEDULE_PERIOD) && period < 1) {
        if (in.isDefault(SCHEDULE_PERIOD)) {
          in.problemAt(
              SCHEDULE_PERIOD, SCHEDULE_TYPE, "missing; required (>= 1) for schedule type cosine");
        } else {
          in.problem(
              SCHEDULE_PERIOD,
              "expected a value >= 1 (required for schedule type cosine), got " + period);
        }
      }
      if (in.ok(SCHEDULE_MIN_LEARNING_RATE)
          && in.ok(UPDATER_LEARNING_RATE)
          && min >= learningRate) {
        in.problem(
            SCHEDULE_MIN_LEARNING_RATE,
            "expected less than model.updater.learning-rate ("
                + learningRate
                + ") for schedule type cosine, got "
                + min);
      }
    }
    return new ScheduleConfig(
        type,
        in.oneOf(SCHEDULE_UNIT, ScheduleUnit.class),
        in.decimal(SCHEDULE_DECAY),
        in.integer(SCHEDULE_STEP),
        period,
        min);
  }

  /** The layers, or null when any of them or their order is wrong (the problems are reported). */
  private List<LayerConfig> layers(LayerConfig defaults) {
    ConfigValue list = config.getValue(MODEL_LAYERS.path());
    if (list.valueType() != ConfigValueType.LIST) {
      in.problem(MODEL_LAYERS, "expected a list of layers, got " + ConfigReader.describe(list));
      return null;
    }
    List<? extends ConfigValue> entries = config.getList(MODEL_LAYERS.path());
    List<LayerConfig> layers = new ArrayList<>();
    List<Integer> outputs = new ArrayList<>();
    boolean usable = true;
    for (int i = 0; i < entries.size(); i++) {
      String name = MODEL_LAYERS.path() + "[" + i + "]";
      ConfigValue entry = entries.get(i);
      if (!(entry instanceof ConfigObject object)) {
        problems.add(
            name
                + " ("
                + ConfigReader.where(entry.origin())
                + "): expected a layer {type, units, activation, ...}, got "
                + ConfigReader.describe(entry));
        usable = false;
        continue;
      }
      ConfigReader reader =
          new ConfigReader(object.toConfig(), name + ".", object.origin(), problems);
      LayerConfig layer = LayerParser.parse(object, reader, defaults);
      layers.add(layer);
      layerReaders.add(reader);
      usable &= layer.type() != null && reader.clean();
      if (layer.type() == LayerType.OUTPUT) {
        outputs.add(i);
        outputLayerReader = reader;
      }
    }
    if (!usable) {
      return null;
    }
    String where = MODEL_LAYERS.path() + " (" + ConfigReader.where(list.origin()) + "): ";
    if (outputs.size() != 1) {
      problems.add(
          where
              + "expected exactly one output layer, the last, found "
              + (outputs.isEmpty() ? "none" : outputs.size() + " (entries " + outputs + ")"));
      return null;
    }
    if (outputs.get(0) != entries.size() - 1) {
      problems.add(
          where
              + "expected the output layer last (entry "
              + (entries.size() - 1)
              + "), found it at entry "
              + outputs.get(0));
      return null;
    }
    return layers;
  }
}
