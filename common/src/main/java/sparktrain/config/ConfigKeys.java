package sparktrain.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every config key with its allowed range, in one place. Defaults and documentation live in {@code
 * sparktrain/reference.conf}; a key missing there is an "unknown key" error, so the two must agree.
 */
public final class ConfigKeys {

  /** Minimum {@code data.num-classes} for a classification loss. */
  public static final int MIN_CLASSES = 2;

  public static final Key WORKLOAD = Key.of("workload");

  public static final Key DATA_FORMAT = Key.of("data.format");
  public static final Key DATA_TRAIN_IMAGES = Key.of("data.train.images");
  public static final Key DATA_TRAIN_LABELS = Key.of("data.train.labels");
  public static final Key DATA_TEST_IMAGES = Key.of("data.test.images");
  public static final Key DATA_TEST_LABELS = Key.of("data.test.labels");
  public static final Key DATA_TRAIN_LIMIT = Key.of("data.train-limit", Range.atLeast(0));
  public static final Key DATA_TEST_LIMIT = Key.of("data.test-limit", Range.atLeast(0));
  public static final Key DATA_TRAIN_OFFSET = Key.of("data.train-offset", Range.atLeast(0));
  public static final Key DATA_NUM_CLASSES = Key.of("data.num-classes", Range.atLeast(1));
  public static final Key DATA_NORMALIZATION = Key.of("data.normalization");
  public static final Key DATA_PARTITIONS = Key.of("data.partitions", Range.atLeast(0));
  public static final Key DATA_PATH = Key.of("data.path");
  public static final Key DATA_TRAIN_PATH = Key.of("data.train.path");
  public static final Key DATA_VALIDATION_IMAGES = Key.of("data.validation.images");
  public static final Key DATA_VALIDATION_LABELS = Key.of("data.validation.labels");
  public static final Key DATA_VALIDATION_PATH = Key.of("data.validation.path");
  public static final Key DATA_TEST_PATH = Key.of("data.test.path");
  public static final Key DATA_SPLIT_VALIDATION =
      Key.of("data.split.validation", Range.closedOpen(0, 1));
  public static final Key DATA_SPLIT_TEST = Key.of("data.split.test", Range.closedOpen(0, 1));
  public static final Key DATA_CSV_HEADER = Key.of("data.csv.header");
  public static final Key DATA_CSV_DELIMITER = Key.of("data.csv.delimiter");
  public static final Key DATA_LIBSVM_NUM_FEATURES =
      Key.of("data.libsvm.num-features", Range.atLeast(0));
  public static final Key DATA_LABEL = Key.of("data.label");
  public static final Key DATA_ONE_HOT_LABEL = Key.of("data.one-hot-label");
  public static final Key DATA_FEATURES = Key.of("data.features");
  public static final Key DATA_EXCLUDE = Key.of("data.exclude");
  public static final Key DATA_LABEL_ENCODING = Key.of("data.label-encoding");
  public static final Key DATA_BAD_ROWS = Key.of("data.bad-rows");

  public static final Key MODEL_INPUT_TYPE = Key.of("model.input.type");
  public static final Key MODEL_INPUT_SIZE = Key.of("model.input.size", Range.atLeast(1));
  public static final Key MODEL_INPUT_HEIGHT = Key.of("model.input.height", Range.atLeast(1));
  public static final Key MODEL_INPUT_WIDTH = Key.of("model.input.width", Range.atLeast(1));
  public static final Key MODEL_INPUT_CHANNELS = Key.of("model.input.channels", Range.atLeast(1));
  public static final Key MODEL_LAYERS = Key.of("model.layers");
  public static final Key MODEL_WEIGHT_INIT = Key.of("model.weight-init");
  public static final Key MODEL_L1 = Key.of("model.l1", Range.atLeast(0));
  public static final Key MODEL_L2 = Key.of("model.l2", Range.atLeast(0));
  public static final Key MODEL_DROPOUT = Key.of("model.dropout", Range.closedOpen(0, 1));
  public static final Key MODEL_KERAS = Key.of("model.keras");
  public static final Key MODEL_KERAS_WEIGHTS = Key.of("model.keras-weights");
  public static final Key MODEL_KERAS_LOSS = Key.of("model.keras-loss");
  public static final Key KERAS_IMPORT_SOURCE = Key.of("model.keras-import.source");
  public static final Key KERAS_IMPORT_SHA256 = Key.of("model.keras-import.sha256");
  public static final Key KERAS_IMPORT_VERSION = Key.of("model.keras-import.keras-version");
  public static final Key KERAS_IMPORT_WEIGHTS = Key.of("model.keras-import.weights");
  public static final Key KERAS_IMPORT_WEIGHTS_SHA256 = Key.of("model.keras-import.weights-sha256");
  public static final Key UPDATER_TYPE = Key.of("model.updater.type");
  public static final Key UPDATER_LEARNING_RATE =
      Key.of("model.updater.learning-rate", Range.greaterThan(0));
  public static final Key UPDATER_MOMENTUM =
      Key.of("model.updater.momentum", Range.closedOpen(0, 1));
  public static final Key UPDATER_BETA1 = Key.of("model.updater.beta1", Range.closedOpen(0, 1));
  public static final Key UPDATER_BETA2 = Key.of("model.updater.beta2", Range.closedOpen(0, 1));
  public static final Key UPDATER_EPSILON = Key.of("model.updater.epsilon", Range.greaterThan(0));
  public static final Key UPDATER_WEIGHT_DECAY =
      Key.of("model.updater.weight-decay", Range.atLeast(0));
  public static final Key SCHEDULE_TYPE = Key.of("model.updater.schedule.type");
  public static final Key SCHEDULE_UNIT = Key.of("model.updater.schedule.unit");
  public static final Key SCHEDULE_DECAY =
      Key.of("model.updater.schedule.decay", Range.openClosed(0, 1));
  public static final Key SCHEDULE_STEP = Key.of("model.updater.schedule.step", Range.atLeast(1));

  /** 0 in reference.conf: required (>= 1) for the cosine schedule. */
  public static final Key SCHEDULE_PERIOD =
      Key.of("model.updater.schedule.period", Range.atLeast(0));

  public static final Key SCHEDULE_MIN_LEARNING_RATE =
      Key.of("model.updater.schedule.min-learning-rate", Range.atLeast(0));

  public static final Key TRAINING_EPOCHS = Key.of("training.epochs", Range.atLeast(1));
  public static final Key TRAINING_BATCH_SIZE_PER_WORKER =
      Key.of("training.batch-size-per-worker", Range.atLeast(1));
  public static final Key TRAINING_AVERAGING_FREQUENCY =
      Key.of("training.averaging-frequency", Range.atLeast(1));
  public static final Key TRAINING_WORKERS = Key.of("training.workers", Range.atLeast(0));
  public static final Key TRAINING_PREFETCH = Key.of("training.prefetch", Range.atLeast(0));
  public static final Key TRAINING_RDD_APPROACH = Key.of("training.rdd-approach");
  public static final Key TRAINING_REPARTITION = Key.of("training.repartition");
  public static final Key TRAINING_AGGREGATION_DEPTH =
      Key.of("training.aggregation-depth", Range.atLeast(1));
  public static final Key TRAINING_SEED = Key.of("training.seed");
  public static final Key TRAINING_SHUFFLE = Key.of("training.shuffle");
  public static final Key TRAINING_EVALUATE_EVERY_EPOCH = Key.of("training.evaluate-every-epoch");
  public static final Key TRAINING_ENGINE = Key.of("training.engine");
  public static final Key EARLY_STOPPING_METRIC = Key.of("training.early-stopping.metric");
  public static final Key EARLY_STOPPING_MODE = Key.of("training.early-stopping.mode");
  public static final Key EARLY_STOPPING_PATIENCE =
      Key.of("training.early-stopping.patience", Range.atLeast(0));
  public static final Key EARLY_STOPPING_MIN_DELTA =
      Key.of("training.early-stopping.min-delta", Range.atLeast(0));
  public static final Key EARLY_STOPPING_RESTORE_BEST =
      Key.of("training.early-stopping.restore-best");
  public static final Key TRAINING_CLASS_WEIGHTS = Key.of("training.class-weights");
  public static final Key PLATEAU_METRIC = Key.of("training.plateau.metric");
  public static final Key PLATEAU_MODE = Key.of("training.plateau.mode");
  public static final Key PLATEAU_FACTOR =
      Key.of("training.plateau.factor", Range.closedOpen(0, 1));
  public static final Key PLATEAU_PATIENCE = Key.of("training.plateau.patience", Range.atLeast(0));
  public static final Key PLATEAU_MIN_DELTA =
      Key.of("training.plateau.min-delta", Range.atLeast(0));
  public static final Key PLATEAU_COOLDOWN = Key.of("training.plateau.cooldown", Range.atLeast(0));
  public static final Key PLATEAU_MIN_LEARNING_RATE =
      Key.of("training.plateau.min-learning-rate", Range.atLeast(0));

  /** Range in milliseconds. */
  public static final Key TRAINING_COLLECTIVE_TIMEOUT =
      Key.of("training.collective-timeout", Range.atLeast(1));

  public static final Key TRAINING_RING_SECURITY = Key.of("training.ring-security");
  public static final Key TRAINING_WARM_UP = Key.of("training.warm-up");
  public static final Key TRAINING_JIT = Key.of("training.jit");

  /** Range in milliseconds. */
  public static final Key TRAINING_PROGRESS_INTERVAL =
      Key.of("training.progress-interval", Range.atLeast(0));

  public static final Key TRAINING_DATA_PATH = Key.of("training.data-path");

  /** {@code auto}, a number of examples (>= 1) or a size in bytes such as 64MB. */
  public static final Key TRAINING_SHUFFLE_BUFFER = Key.of("training.shuffle-buffer");

  public static final Key TRAINING_SPOOL_DIR = Key.of("training.spool-dir");

  public static final Key CHECKPOINT_DIR = Key.of("checkpoint.dir");
  public static final Key CHECKPOINT_EVERY_N_EPOCHS =
      Key.of("checkpoint.every-n-epochs", Range.atLeast(1));
  public static final Key CHECKPOINT_KEEP_LAST = Key.of("checkpoint.keep-last", Range.atLeast(1));
  public static final Key CHECKPOINT_KEEP_BEST = Key.of("checkpoint.keep-best");
  public static final Key CHECKPOINT_EVERY_N_ROUNDS =
      Key.of("checkpoint.every-n-rounds", Range.atLeast(0));

  public static final Key OUTPUT_DIR = Key.of("output.dir");

  public static final Key OUTPUT_LEASE_TTL = Key.of("output.lease-ttl", Range.atLeast(1000));

  public static final Key EVALUATION_BATCH_SIZE = Key.of("evaluation.batch-size", Range.atLeast(1));

  public static final Key RETRAIN_EPOCHS = Key.of("retrain.epochs", Range.atLeast(1));
  public static final Key RETRAIN_METRIC = Key.of("retrain.metric");
  public static final Key RETRAIN_MIN_IMPROVEMENT =
      Key.of("retrain.min-improvement", Range.atLeast(0));

  /**
   * An open section: metric name to its largest allowed regression (each {@code >= 0}); its keys
   * are checked against {@link RetrainMetric}, not against reference.conf.
   */
  public static final Key RETRAIN_GUARD_RAILS = Key.of("retrain.guard-rails", Range.atLeast(0));

  public static final Key RETRAIN_REPLAY_FRACTION =
      Key.of("retrain.replay-fraction", Range.closed(0, 1));

  /** Range in milliseconds. */
  public static final Key RETRAIN_LOCK_TTL = Key.of("retrain.lock-ttl", Range.atLeast(1000));

  public static final Key RETRAIN_NORMALIZER = Key.of("retrain.normalizer");

  // Keys of one entry of model.layers, relative to the entry.
  public static final Key LAYER_TYPE = Key.of("type");
  public static final Key LAYER_UNITS = Key.of("units", Range.atLeast(1));
  public static final Key LAYER_ACTIVATION = Key.of("activation");
  public static final Key LAYER_LOSS = Key.of("loss");
  public static final Key LAYER_DROPOUT = Key.of("dropout", Range.closedOpen(0, 1));
  public static final Key LAYER_L1 = Key.of("l1", Range.atLeast(0));
  public static final Key LAYER_L2 = Key.of("l2", Range.atLeast(0));
  public static final Key LAYER_WEIGHT_INIT = Key.of("weight-init");
  public static final Key LAYER_FILTERS = Key.of("filters", Range.atLeast(1));

  /** An integer or a list [height, width] of integers, each in this range. */
  public static final Key LAYER_KERNEL = Key.of("kernel", Range.atLeast(1));

  /** An integer or a list [height, width] of integers, each in this range. */
  public static final Key LAYER_STRIDE = Key.of("stride", Range.atLeast(1));

  /** An integer or a list [height, width] of integers, each in this range. */
  public static final Key LAYER_PADDING = Key.of("padding", Range.atLeast(0));

  public static final Key LAYER_CONVOLUTION_MODE = Key.of("convolution-mode");
  public static final Key LAYER_POOLING = Key.of("pooling");

  private static final Map<LayerType, Set<String>> LAYER_KEYS = new EnumMap<>(LayerType.class);
  private static final Set<String> ALL_LAYER_KEYS;

  static {
    Set<String> weights = Set.of("activation", "dropout", "l1", "l2", "weight-init");
    Set<String> window = Set.of("kernel", "stride", "padding", "convolution-mode");
    LAYER_KEYS.put(LayerType.DENSE, union(Set.of("type", "units"), weights));
    LAYER_KEYS.put(LayerType.OUTPUT, union(Set.of("type", "units", "loss"), weights));
    LAYER_KEYS.put(LayerType.CONVOLUTION, union(Set.of("type", "filters"), weights, window));
    LAYER_KEYS.put(LayerType.SUBSAMPLING, union(Set.of("type", "pooling"), window));
    LAYER_KEYS.put(LayerType.BATCH_NORM, Set.of("type", "activation"));
    LAYER_KEYS.put(LayerType.DROPOUT, Set.of("type", "dropout"));
    Set<String> all = new TreeSet<>();
    LAYER_KEYS.values().forEach(all::addAll);
    ALL_LAYER_KEYS = Set.copyOf(all);
  }

  private ConfigKeys() {}

  /** The keys allowed in a {@code model.layers} entry of the given type (null: any type). */
  public static Set<String> layerKeys(LayerType type) {
    return type == null ? ALL_LAYER_KEYS : LAYER_KEYS.get(type);
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> set : sets) {
      all.addAll(set);
    }
    return Set.copyOf(all);
  }

  /**
   * A config key: its path (HOCON path syntax, or relative to a layer entry) and, for numbers, the
   * allowed range (null: any value of the type).
   */
  public record Key(String path, Range range) {
    static Key of(String path) {
      return new Key(path, null);
    }

    static Key of(String path, Range range) {
      return new Key(path, range);
    }

    @Override
    public String toString() {
      return path;
    }
  }

  /** An interval of allowed numbers; each bound is inclusive or exclusive. */
  public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
    static Range atLeast(double min) {
      return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    static Range greaterThan(double min) {
      return new Range(min, false, Double.POSITIVE_INFINITY, false);
    }

    static Range closedOpen(double min, double max) {
      return new Range(min, true, max, false);
    }

    static Range closed(double min, double max) {
      return new Range(min, true, max, true);
    }

    static Range openClosed(double min, double max) {
      return new Range(min, false, max, true);
    }

    /** Whether {@code value} lies in this range. */
    public boolean contains(double value) {
      return (minInclusive ? value >= min : value > min)
          && (maxInclusive ? value <= max : value < max);
    }

    /** The range as users read it: {@code >= 1}, {@code > 0}, {@code in [0, 1)}. */
    @Override
    public String toString() {
      if (Double.isInfinite(max)) {
        return (minInclusive ? ">= " : "> ") + format(min);
      }
      return "in "
          + (minInclusive ? "[" : "(")
          + format(min)
          + ", "
          + format(max)
          + (maxInclusive ? "]" : ")");
    }

    private static String format(double value) {
      return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
  }
}
