package sparktrain.config;

import static sparktrain.config.ConfigKeys.CHECKPOINT_DIR;
import static sparktrain.config.ConfigKeys.CHECKPOINT_EVERY_N_EPOCHS;
import static sparktrain.config.ConfigKeys.CHECKPOINT_KEEP_LAST;
import static sparktrain.config.ConfigKeys.DATA_FORMAT;
import static sparktrain.config.ConfigKeys.DATA_NORMALIZATION;
import static sparktrain.config.ConfigKeys.DATA_NUM_CLASSES;
import static sparktrain.config.ConfigKeys.DATA_PARTITIONS;
import static sparktrain.config.ConfigKeys.DATA_TEST_IMAGES;
import static sparktrain.config.ConfigKeys.DATA_TEST_LABELS;
import static sparktrain.config.ConfigKeys.DATA_TEST_LIMIT;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_IMAGES;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_LABELS;
import static sparktrain.config.ConfigKeys.DATA_TRAIN_LIMIT;
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
import static sparktrain.config.ConfigKeys.SCHEDULE_DECAY;
import static sparktrain.config.ConfigKeys.SCHEDULE_MIN_LEARNING_RATE;
import static sparktrain.config.ConfigKeys.SCHEDULE_PERIOD;
import static sparktrain.config.ConfigKeys.SCHEDULE_STEP;
import static sparktrain.config.ConfigKeys.SCHEDULE_TYPE;
import static sparktrain.config.ConfigKeys.SCHEDULE_UNIT;
import static sparktrain.config.ConfigKeys.TRAINING_AGGREGATION_DEPTH;
import static sparktrain.config.ConfigKeys.TRAINING_AVERAGING_FREQUENCY;
import static sparktrain.config.ConfigKeys.TRAINING_BATCH_SIZE_PER_WORKER;
import static sparktrain.config.ConfigKeys.TRAINING_EPOCHS;
import static sparktrain.config.ConfigKeys.TRAINING_EVALUATE_EVERY_EPOCH;
import static sparktrain.config.ConfigKeys.TRAINING_PREFETCH;
import static sparktrain.config.ConfigKeys.TRAINING_PROGRESS_INTERVAL;
import static sparktrain.config.ConfigKeys.TRAINING_RDD_APPROACH;
import static sparktrain.config.ConfigKeys.TRAINING_REPARTITION;
import static sparktrain.config.ConfigKeys.TRAINING_SEED;
import static sparktrain.config.ConfigKeys.TRAINING_SHUFFLE;
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
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
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

  private JobConfig job() {
    String workload = in.string(WORKLOAD);
    DataConfig data = data();
    ModelConfig model = model();
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
            in.longInteger(TRAINING_SEED),
            in.bool(TRAINING_SHUFFLE),
            in.bool(TRAINING_EVALUATE_EVERY_EPOCH),
            in.duration(TRAINING_PROGRESS_INTERVAL));
    CheckpointConfig checkpoint =
        new CheckpointConfig(
            in.string(CHECKPOINT_DIR),
            in.integer(CHECKPOINT_EVERY_N_EPOCHS),
            in.integer(CHECKPOINT_KEEP_LAST));
    OutputConfig output = new OutputConfig(in.string(OUTPUT_DIR));
    if (model != null && in.ok(DATA_NUM_CLASSES)) {
      OutputRules.check(model.outputLayer(), outputLayerReader, data.numClasses(), in);
    }
    return new JobConfig(workload, data, model, training, checkpoint, output, config);
  }

  private DataConfig data() {
    format = in.oneOf(DATA_FORMAT, DataFormat.class);
    return new DataConfig(
        format,
        new SplitPaths(path(DATA_TRAIN_IMAGES), path(DATA_TRAIN_LABELS)),
        new SplitPaths(path(DATA_TEST_IMAGES), path(DATA_TEST_LABELS)),
        in.integer(DATA_TRAIN_LIMIT),
        in.integer(DATA_TEST_LIMIT),
        in.integer(DATA_NUM_CLASSES),
        in.oneOf(DATA_NORMALIZATION, Normalization.class),
        in.integer(DATA_PARTITIONS));
  }

  /** A data path, required (non-blank) for the idx format. */
  private String path(Key key) {
    String path = in.string(key);
    if (format == DataFormat.IDX && in.ok(key) && path.isBlank()) {
      in.problem(key, "expected a path (required when data.format is idx), got \"" + path + "\"");
    }
    return path;
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
