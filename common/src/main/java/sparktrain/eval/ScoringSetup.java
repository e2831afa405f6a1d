package sparktrain.eval;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.DataConfig;
import sparktrain.config.JobConfig;
import sparktrain.config.ModelConfig;
import sparktrain.config.Normalization;
import sparktrain.config.SplitPaths;
import sparktrain.data.DataException;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.FeatureBatch;
import sparktrain.data.IdxDataset;
import sparktrain.data.LabelIndex;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.errors.JobArgumentException;
import sparktrain.train.MiniBatches;
import sparktrain.train.Parallelism;

/**
 * What scoring a saved model on the configured data needs, shared by {@code evaluate} and {@code
 * predict}: the network, how to read its outputs ({@link EvaluationPlan}), how to turn examples
 * into its inputs ({@link BatchEncoder}), and the data.
 *
 * <p>The model's own training config (recorded in its manifest) decides the output layer, the
 * number of classes and the normalization, so a model is always fed the way it was trained; the
 * job's config decides which data is read, how it is partitioned and the scoring minibatch size
 * ({@code evaluation.batch-size}).
 */
public final class ScoringSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringSetup.class);

  private final JobConfig config;
  private final ModelLocator.Located model;
  private final MultiLayerNetwork network;
  private final ModelConfig modelConfig;
  private final EvaluationPlan plan;
  private final BatchEncoder encoder;
  private final String normalization;
  private final Optional<LabelIndex> labels;

  private ScoringSetup(
      JobConfig config,
      ModelLocator.Located model,
      MultiLayerNetwork network,
      ModelConfig modelConfig,
      EvaluationPlan plan,
      BatchEncoder encoder,
      String normalization,
      Optional<LabelIndex> labels) {
    this.config = config;
    this.labels = labels;
    this.model = model;
    this.network = network;
    this.modelConfig = modelConfig;
    this.plan = plan;
    this.encoder = encoder;
    this.normalization = normalization;
  }

  /**
   * The {@code run} object of an evaluation's or prediction's JSON: the master, wall time, rows per
   * second, when it finished, then the run's resource {@code figures} (see {@code RunWatch}).
   */
  public static Map<String, Object> runInfo(
      String master, double seconds, double rowsPerSecond, Map<String, Object> figures) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("spark_master", master);
    run.put("seconds", seconds);
    run.put("rows_per_second", rowsPerSecond);
    run.put("finished_at", Instant.now().toString());
    run.putAll(figures);
    return run;
  }

  /**
   * Loads the network of {@code model} and decides how to score it.
   *
   * @throws JobArgumentException if the network does not match its recorded config
   */
  public static ScoringSetup prepare(JobConfig config, ModelLocator.Located model)
      throws IOException {
    return prepare(config, model, true);
  }

  /**
   * Like {@link #prepare(JobConfig, ModelLocator.Located)}; {@code warn} false leaves its warnings
   * to the job (the preflight prepares the same model first, on the same config).
   */
  static ScoringSetup prepare(JobConfig config, ModelLocator.Located model, boolean warn)
      throws IOException {
    org.slf4j.event.Level level = warn ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.DEBUG;
    JobConfig trained = trainedConfig(config, model, level);
    MultiLayerNetwork net = model.checkpoint().network();
    ModelConfig mc = trained.model();
    int numClasses = trained.data().numClasses();
    EvaluationPlan plan = EvaluationPlan.of(mc, numClasses);
    int outputs = outputUnits(net);
    if (outputs != plan.outputs()) {
      throw new JobArgumentException(
          "--model "
              + model.requested()
              + ": the network has "
              + outputs
              + " outputs, but the config it records has "
              + plan.outputs()
              + " output units");
    }
    Normalizer normalizer = normalizer(trained, model);
    if (normalizer.kind() != config.data().normalization()
        && config.data().normalization() != Normalization.AUTO) {
      LOG.atLevel(level)
          .log(
              "The model was trained with data.normalization = {}, the job's config says {}: the"
                  + " model's fitted normalizer is applied",
              normalizer.kind().configName(),
              config.data().normalization().configName());
    }
    BatchEncoder encoder =
        new BatchEncoder(
            config.evaluation().batchSize(),
            MiniBatches.LabelLayout.forOutput(mc.outputLayer()),
            numClasses,
            normalizer,
            mc.input().size());
    Optional<LabelIndex> labels = LabelIndex.find(model.checkpoint());
    String normText = normalizer.kind().configName();
    return new ScoringSetup(config, model, net, mc, plan, encoder, normText, labels);
  }

  /**
   * The config the model was trained with (from its manifest); the job's config when the manifest
   * has none that validates (a model written by another tool), with a warning.
   */
  private static JobConfig trainedConfig(
      JobConfig config, ModelLocator.Located model, org.slf4j.event.Level level) {
    String text = model.checkpoint().resolvedConfig();
    if (text != null && !text.isBlank()) {
      try {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(text));
      } catch (RuntimeException e) {
        LOG.atLevel(level)
            .log(
                "The config recorded in {} does not validate ({}); reading the model's outputs and"
                    + " normalization from the job's config instead",
                model.uri(),
                e.getMessage());
        return config;
      }
    }
    LOG.atLevel(level)
        .log(
            "{} records no training config; reading the model's outputs and normalization from the"
                + " job's config",
            model.uri());
    return config;
  }

  /**
   * The normalizer saved with the model; models without one (written before normalizers were saved)
   * get the fixed transform their config names, and a fitted kind without its file is an error
   * rather than silently unnormalized input.
   */
  private static Normalizer normalizer(JobConfig trained, ModelLocator.Located model)
      throws IOException {
    Optional<Normalizer> saved = Normalizer.find(model.checkpoint());
    if (saved.isPresent()) {
      return saved.get();
    }
    Normalization kind = trained.data().normalization();
    return switch (kind) {
      case NONE -> Normalizer.none();
      case IMAGE_SCALE -> Normalizer.imageScale();
      default ->
          throw new JobArgumentException(
              "--model "
                  + model.requested()
                  + ": trained with data.normalization = "
                  + kind.configName()
                  + " but "
                  + model.uri()
                  + " has no "
                  + Normalizer.FILE_NAME
                  + "; it cannot be fed the way it was trained");
    };
  }

  private static int outputUnits(MultiLayerNetwork net) {
    Layer l = net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
    if (!(l instanceof FeedForwardLayer ff)) {
      throw new JobArgumentException(
          "the model's last layer is a "
              + l.getClass().getSimpleName()
              + ", not an output layer: it cannot be scored");
    }
    return (int) ff.getNOut();
  }

  /**
   * Reads one split of the job's {@code data} section, in {@code data.partitions} partitions
   * ({@code training.workers}, else Spark's default parallelism, when 0), lazily.
   */
  public ScoringData read(JavaSparkContext sc, Split split) {
    DataConfig data = config.data();
    int partitions = Parallelism.partitions(config, Parallelism.workers(sc, config));
    TrainingData all = DataSources.read(sc, data, partitions);
    JavaRDD<Example> examples = split == Split.TEST ? all.test() : all.train();
    List<String> inputs = all.inputs();
    if (data.format() == sparktrain.config.DataFormat.IDX) {
      SplitPaths paths = split == Split.TEST ? data.test() : data.train();
      inputs = List.of(paths.images(), paths.labels());
    }
    return new ScoringData(split, relabel(examples, all.labelIndex()), partitions, inputs);
  }

  /**
   * Reads one split as {@link #read} does, as the scoring minibatches of {@link #encoder()},
   * normalized; each batch's {@link FeatureBatch#first()} is its first record's index in the split
   * when {@code recordIndexes}, else (it may then be cheaper) in the split or in its partition.
   *
   * <p>IDX files are decoded straight from their bytes into each minibatch's array on the
   * executors; the other formats are read as examples and batched.
   */
  public ScoringBatches readBatches(JavaSparkContext sc, Split split, boolean recordIndexes) {
    DataConfig data = config.data();
    if (data.format() == sparktrain.config.DataFormat.IDX && wholeIdxFiles(data, split)) {
      int partitions = Parallelism.partitions(config, Parallelism.workers(sc, config));
      SplitPaths paths = split == Split.TEST ? data.test() : data.train();
      JavaRDD<FeatureBatch> batches =
          IdxDataset.readBatches(
              sc,
              paths.images(),
              paths.labels(),
              split == Split.TEST ? 0 : data.trainOffset(),
              split == Split.TEST ? data.testLimit() : data.trainLimit(),
              partitions,
              encoder.batchSize(),
              encoder.inputSize(),
              encoder.normalizer());
      return new ScoringBatches(
          split, batches, partitions, List.of(paths.images(), paths.labels()));
    }
    ScoringData read = read(sc, split);
    JavaRDD<FeatureBatch> batches =
        recordIndexes
            ? encoder.indexedFeatureBatches(read.examples().zipWithIndex().rdd().toJavaRDD())
            : encoder.featureBatches(read.examples());
    return new ScoringBatches(split, batches, read.partitions(), read.inputs());
  }

  /** Whether the split is its IDX files' records as such (not a random part of them). */
  private static boolean wholeIdxFiles(DataConfig data, Split split) {
    return split == Split.TEST || data.validation().hasIdx() || data.split().validation() == 0;
  }

  /**
   * One split's scoring minibatches.
   *
   * @param split which split
   * @param batches the minibatches, in the input's order
   * @param partitions number of partitions of {@code batches}
   * @param inputs the files read (for provenance fingerprints)
   */
  public record ScoringBatches(
      Split split, JavaRDD<FeatureBatch> batches, int partitions, List<String> inputs) {

    /** The fingerprint (path, size, time, SHA-256) of every input file. */
    public List<java.util.Map<String, Object>> fingerprints(
        org.apache.hadoop.conf.Configuration conf) {
      return new ScoringData(split, null, partitions, inputs).fingerprints(conf);
    }
  }

  /**
   * Examples whose class-name labels were indexed by this read, re-indexed the way the model's
   * saved {@code labels.json} indexes them (the data may hold fewer or differently ordered names).
   *
   * @throws DataException if the data holds a class name the model does not know
   */
  private JavaRDD<Example> relabel(JavaRDD<Example> examples, Optional<LabelIndex> read) {
    if (read.isEmpty() || labels.isEmpty() || read.get().equals(labels.get())) {
      return examples;
    }
    LabelIndex ours = read.get();
    LabelIndex model = labels.get();
    int[] map = new int[ours.size()];
    for (int i = 0; i < map.length; i++) {
      String name = ours.name(i);
      int j = model.classes().indexOf(name);
      if (j < 0) {
        throw new DataException(
            "column "
                + ours.column()
                + ": class '"
                + name
                + "' is not one of the model's classes "
                + model.classes()
                + " (labels.json)");
      }
      map[i] = j;
    }
    return examples.map(e -> e.withLabel(map[(int) e.label()]));
  }

  /** The model's class names, when its labels were names. */
  public Optional<LabelIndex> labels() {
    return labels;
  }

  /**
   * One split's examples.
   *
   * @param split which split
   * @param examples the examples, in the input's order
   * @param partitions number of partitions of {@code examples}
   * @param inputs the files read (for provenance fingerprints)
   */
  public record ScoringData(
      Split split, JavaRDD<Example> examples, int partitions, List<String> inputs) {

    /** The fingerprint (path, size, time, SHA-256) of every input file. */
    public List<java.util.Map<String, Object>> fingerprints(
        org.apache.hadoop.conf.Configuration conf) {
      List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
      for (String p : inputs) {
        out.add(sparktrain.data.InputFingerprint.of(p, conf));
      }
      return out;
    }
  }

  /** The job's config. */
  public JobConfig config() {
    return config;
  }

  /** The located model. */
  public ModelLocator.Located model() {
    return model;
  }

  /** The network (driver copy; tasks rebuild their own). */
  public MultiLayerNetwork network() {
    return network;
  }

  /** The model section the network was built from. */
  public ModelConfig modelConfig() {
    return modelConfig;
  }

  /** How the outputs are read. */
  public EvaluationPlan plan() {
    return plan;
  }

  /** How examples become minibatches. */
  public BatchEncoder encoder() {
    return encoder;
  }

  /** The normalization applied, e.g. {@code image-scale}. */
  public String normalization() {
    return normalization;
  }
}
