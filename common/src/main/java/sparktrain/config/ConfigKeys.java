package sparktrain.config;

import java.util.Set;

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
  public static final Key DATA_NUM_CLASSES = Key.of("data.num-classes", Range.atLeast(1));
  public static final Key DATA_NORMALIZATION = Key.of("data.normalization");
  public static final Key DATA_PARTITIONS = Key.of("data.partitions", Range.atLeast(0));

  public static final Key MODEL_INPUT_TYPE = Key.of("model.input.type");
  public static final Key MODEL_INPUT_SIZE = Key.of("model.input.size", Range.atLeast(1));
  public static final Key MODEL_LAYERS = Key.of("model.layers");
  public static final Key MODEL_WEIGHT_INIT = Key.of("model.weight-init");
  public static final Key MODEL_L1 = Key.of("model.l1", Range.atLeast(0));
  public static final Key MODEL_L2 = Key.of("model.l2", Range.atLeast(0));
  public static final Key MODEL_DROPOUT = Key.of("model.dropout", Range.closedOpen(0, 1));
  public static final Key UPDATER_TYPE = Key.of("model.updater.type");
  public static final Key UPDATER_LEARNING_RATE =
      Key.of("model.updater.learning-rate", Range.greaterThan(0));
  public static final Key UPDATER_MOMENTUM =
      Key.of("model.updater.momentum", Range.closedOpen(0, 1));
  public static final Key UPDATER_BETA1 = Key.of("model.updater.beta1", Range.closedOpen(0, 1));
  public static final Key UPDATER_BETA2 = Key.of("model.updater.beta2", Range.closedOpen(0, 1));
  public static final Key UPDATER_EPSILON = Key.of("model.updater.epsilon", Range.greaterThan(0));

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

  /** Range in milliseconds. */
  public static final Key TRAINING_PROGRESS_INTERVAL =
      Key.of("training.progress-interval", Range.atLeast(0));

  public static final Key CHECKPOINT_DIR = Key.of("checkpoint.dir");
  public static final Key CHECKPOINT_EVERY_N_EPOCHS =
      Key.of("checkpoint.every-n-epochs", Range.atLeast(1));
  public static final Key CHECKPOINT_KEEP_LAST = Key.of("checkpoint.keep-last", Range.atLeast(1));
  public static final Key CHECKPOINT_KEEP_BEST = Key.of("checkpoint.keep-best");
  public static final Key CHECKPOINT_EVERY_N_ROUNDS =
      Key.of("checkpoint.every-n-rounds", Range.atLeast(0));

  public static final Key OUTPUT_DIR = Key.of("output.dir");

  // Keys of one entry of model.layers, relative to the entry.
  public static final Key LAYER_TYPE = Key.of("type");
  public static final Key LAYER_UNITS = Key.of("units", Range.atLeast(1));
  public static final Key LAYER_ACTIVATION = Key.of("activation");
  public static final Key LAYER_LOSS = Key.of("loss");
  public static final Key LAYER_DROPOUT = Key.of("dropout", Range.closedOpen(0, 1));
  public static final Key LAYER_L1 = Key.of("l1", Range.atLeast(0));
  public static final Key LAYER_L2 = Key.of("l2", Range.atLeast(0));
  public static final Key LAYER_WEIGHT_INIT = Key.of("weight-init");

  private static final Set<String> DENSE_LAYER_KEYS =
      Set.of("type", "units", "activation", "dropout", "l1", "l2", "weight-init");
  private static final Set<String> OUTPUT_LAYER_KEYS =
      Set.of("type", "units", "activation", "loss", "dropout", "l1", "l2", "weight-init");

  private ConfigKeys() {}

  /** The keys allowed in a {@code model.layers} entry of the given type (null: any type). */
  public static Set<String> layerKeys(LayerType type) {
    return type == LayerType.DENSE ? DENSE_LAYER_KEYS : OUTPUT_LAYER_KEYS;
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
