package sparktrain.config;

import static sparktrain.config.ConfigKeys.CHECKPOINT_DIR;
import static sparktrain.config.ConfigKeys.CHECKPOINT_EVERY_N_EPOCHS;
import static sparktrain.config.ConfigKeys.CHECKPOINT_EVERY_N_ROUNDS;
import static sparktrain.config.ConfigKeys.CHECKPOINT_KEEP_BEST;
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
import static sparktrain.config.ConfigKeys.LAYER_ACTIVATION;
import static sparktrain.config.ConfigKeys.LAYER_DROPOUT;
import static sparktrain.config.ConfigKeys.LAYER_L1;
import static sparktrain.config.ConfigKeys.LAYER_L2;
import static sparktrain.config.ConfigKeys.LAYER_LOSS;
import static sparktrain.config.ConfigKeys.LAYER_TYPE;
import static sparktrain.config.ConfigKeys.LAYER_UNITS;
import static sparktrain.config.ConfigKeys.LAYER_WEIGHT_INIT;
import static sparktrain.config.ConfigKeys.MODEL_DROPOUT;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_SIZE;
import static sparktrain.config.ConfigKeys.MODEL_INPUT_TYPE;
import static sparktrain.config.ConfigKeys.MODEL_L1;
import static sparktrain.config.ConfigKeys.MODEL_L2;
import static sparktrain.config.ConfigKeys.MODEL_LAYERS;
import static sparktrain.config.ConfigKeys.MODEL_WEIGHT_INIT;
import static sparktrain.config.ConfigKeys.OUTPUT_DIR;
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
import static sparktrain.config.ConfigKeys.WORKLOAD;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
            in.integer(CHECKPOINT_KEEP_LAST),
            in.bool(CHECKPOINT_KEEP_BEST),
            in.integer(CHECKPOINT_EVERY_N_ROUNDS));
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
    InputConfig input =
        new InputConfig(in.oneOf(MODEL_INPUT_TYPE, InputType.class), in.integer(MODEL_INPUT_SIZE));
    WeightInit weightInit = in.oneOf(MODEL_WEIGHT_INIT, WeightInit.class);
    double l1 = in.decimal(MODEL_L1);
    double l2 = in.decimal(MODEL_L2);
    double dropout = in.decimal(MODEL_DROPOUT);
    UpdaterConfig updater =
        new UpdaterConfig(
            in.oneOf(UPDATER_TYPE, UpdaterType.class),
            in.decimal(UPDATER_LEARNING_RATE),
            in.decimal(UPDATER_MOMENTUM),
            in.decimal(UPDATER_BETA1),
            in.decimal(UPDATER_BETA2),
            in.decimal(UPDATER_EPSILON));
    LayerConfig defaults = new LayerConfig(null, 0, null, null, dropout, l1, l2, weightInit);
    List<LayerConfig> layers = layers(defaults);
    return layers == null
        ? null
        : new ModelConfig(input, layers, weightInit, l1, l2, dropout, updater);
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
      LayerConfig layer = layer(object, reader, defaults);
      layers.add(layer);
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

  /** One layer entry with the model-level defaults applied; problems are reported to {@code in}. */
  private static LayerConfig layer(ConfigObject entry, ConfigReader in, LayerConfig defaults) {
    String every = "in every layer";
    LayerType type = in.require(LAYER_TYPE, every) ? in.oneOf(LAYER_TYPE, LayerType.class) : null;
    Set<String> allowed = ConfigKeys.layerKeys(type);
    for (String key : new TreeSet<>(entry.keySet())) {
      if (!allowed.contains(key)) {
        String hint =
            ConfigKeys.layerKeys(null).contains(key)
                ? "; only the output layer has '" + key + "'"
                : UnknownKeys.suggestion(key, allowed);
        String kind =
            type == null
                ? "a layer"
                : type == LayerType.OUTPUT ? "an output layer" : "a dense layer";
        in.problem(Key.of(ConfigUtil.joinPath(key)), "unknown key in " + kind + hint);
      }
    }
    int units = in.require(LAYER_UNITS, every) ? in.integer(LAYER_UNITS) : 0;
    Activation activation =
        in.require(LAYER_ACTIVATION, every) ? in.oneOf(LAYER_ACTIVATION, Activation.class) : null;
    LossFunction loss =
        type == LayerType.OUTPUT && in.require(LAYER_LOSS, "in the output layer")
            ? in.oneOf(LAYER_LOSS, LossFunction.class)
            : null;
    return new LayerConfig(
        type,
        units,
        activation,
        loss,
        in.has(LAYER_DROPOUT) ? in.decimal(LAYER_DROPOUT) : defaults.dropout(),
        in.has(LAYER_L1) ? in.decimal(LAYER_L1) : defaults.l1(),
        in.has(LAYER_L2) ? in.decimal(LAYER_L2) : defaults.l2(),
        in.has(LAYER_WEIGHT_INIT)
            ? in.oneOf(LAYER_WEIGHT_INIT, WeightInit.class)
            : defaults.weightInit());
  }
}
