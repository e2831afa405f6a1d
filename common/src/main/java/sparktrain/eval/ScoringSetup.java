package sparktrain.eval;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.List;
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
import sparktrain.config.LossFunction;
import sparktrain.config.ModelConfig;
import sparktrain.config.Normalization;
import sparktrain.config.SplitPaths;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.TrainingData;
import sparktrain.train.MiniBatches;

/**
 * What scoring a saved model on the configured data needs, shared by {@code evaluate} and {@code
 * predict}: the network, how to read its outputs ({@link EvaluationPlan}), how to turn examples
 * into its inputs ({@link BatchEncoder}), and the data.
 *
 * <p>The model's own training config (recorded in its manifest) decides the output layer, the
 * number of classes and the normalization, so a model is always fed the way it was trained; the
 * job's config decides which data is read, how it is partitioned and the minibatch size.
 */
public final class ScoringSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringSetup.class);

  /** The extra file a fitted normalizer is saved in (not supported by this build yet). */
  static final String NORMALIZER_FILE = "normalizer.json";

  private final JobConfig config;
  private final ModelLocator.Located model;
  private final MultiLayerNetwork network;
  private final ModelConfig modelConfig;
  private final EvaluationPlan plan;
  private final BatchEncoder encoder;
  private final String normalization;

  private ScoringSetup(
      JobConfig config,
      ModelLocator.Located model,
      MultiLayerNetwork network,
      ModelConfig modelConfig,
      EvaluationPlan plan,
      BatchEncoder encoder,
      String normalization) {
    this.config = config;
    this.model = model;
    this.network = network;
    this.modelConfig = modelConfig;
    this.plan = plan;
    this.encoder = encoder;
    this.normalization = normalization;
  }

  /**
   * Loads the network of {@code model} and decides how to score it.
   *
   * @throws JobArgumentException if the network does not match its recorded config
   */
  public static ScoringSetup prepare(JobConfig config, ModelLocator.Located model)
      throws IOException {
    JobConfig trained = trainedConfig(config, model);
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
    if (model.checkpoint().extraFileNames().contains(NORMALIZER_FILE)) {
      // Scoring without the fitted normalizer would silently give wrong metrics.
      throw new JobArgumentException(
          "--model "
              + model.requested()
              + " carries a fitted "
              + NORMALIZER_FILE
              + ", which this build cannot apply yet; use a build with normalizer support");
    }
    Normalization norm = trained.data().normalization();
    if (norm != config.data().normalization()) {
      LOG.warn(
          "The model was trained with data.normalization = {}, the job's config says {}: the"
              + " model's normalization is applied",
          norm.name().toLowerCase(java.util.Locale.ROOT),
          config.data().normalization().name().toLowerCase(java.util.Locale.ROOT));
    }
    LossFunction loss = mc.outputLayer().loss();
    BatchEncoder encoder =
        new BatchEncoder(
            config.training().batchSizePerWorker(),
            loss == LossFunction.MCXENT
                ? MiniBatches.LabelLayout.ONE_HOT
                : MiniBatches.LabelLayout.COLUMN,
            numClasses,
            norm == Normalization.IMAGE_SCALE ? 1f / 255f : 1f,
            mc.input().size());
    String normText = norm.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return new ScoringSetup(config, model, net, mc, plan, encoder, normText);
  }

  /**
   * The config the model was trained with (from its manifest); the job's config when the manifest
   * has none that validates (a model written by another tool), with a warning.
   */
  private static JobConfig trainedConfig(JobConfig config, ModelLocator.Located model) {
    String text = model.checkpoint().resolvedConfig();
    if (text != null && !text.isBlank()) {
      try {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(text));
      } catch (RuntimeException e) {
        LOG.warn(
            "The config recorded in {} does not validate ({}); reading the model's outputs and"
                + " normalization from the job's config instead",
            model.uri(),
            e.getMessage());
        return config;
      }
    }
    LOG.warn(
        "{} records no training config; reading the model's outputs and normalization from the"
            + " job's config",
        model.uri());
    return config;
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
    int workers =
        config.training().workers() > 0 ? config.training().workers() : sc.defaultParallelism();
    int partitions = data.partitions() > 0 ? data.partitions() : workers;
    TrainingData all = DataSources.read(sc, data, partitions);
    JavaRDD<Example> examples = split == Split.TEST ? all.test() : all.train();
    SplitPaths paths = split == Split.TEST ? data.test() : data.train();
    return new ScoringData(split, examples, partitions, List.of(paths.images(), paths.labels()));
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
      Split split, JavaRDD<Example> examples, int partitions, List<String> inputs) {}

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
