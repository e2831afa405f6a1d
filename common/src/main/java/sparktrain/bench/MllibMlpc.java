package sparktrain.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.InputType;
import sparktrain.config.JobConfig;
import sparktrain.config.LayerConfig;
import sparktrain.config.LayerType;
import sparktrain.config.LossFunction;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;

/**
 * Spark MLlib's {@link MultilayerPerceptronClassifier}, the Spark-native alternative: same layer
 * sizes, same examples (features scaled like the workload's config) as a cached DataFrame of
 * vectors, L-BFGS (its default solver). MLPC has no epochs: each "epoch" here is {@code
 * iterationsPerEpoch} more L-BFGS iterations, warm-started from the previous round's weights
 * (L-BFGS's curvature history restarts each round), followed by a test evaluation. One L-BFGS
 * iteration makes at least one full pass over the training data.
 *
 * <p>MLPC's hidden layers are always sigmoid and its output softmax; it has no dropout or
 * regularization. It declines other models (convolutions, non-classification losses).
 */
public final class MllibMlpc implements Competitor {
  /** Name in the results. */
  public static final String NAME = "mllib-mlpc";

  private static final Logger LOG = LoggerFactory.getLogger(MllibMlpc.class);

  private final int iterationsPerEpoch;

  /**
   * @param iterationsPerEpoch L-BFGS iterations per benchmark epoch (&gt;= 1)
   */
  public MllibMlpc(int iterationsPerEpoch) {
    if (iterationsPerEpoch < 1) {
      throw new IllegalArgumentException(
          "iterations per epoch must be >= 1, got " + iterationsPerEpoch);
    }
    this.iterationsPerEpoch = iterationsPerEpoch;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Spark MLlib MultilayerPerceptronClassifier (L-BFGS), "
        + iterationsPerEpoch
        + " iterations per epoch";
  }

  @Override
  public Optional<String> unsupported(JobConfig config) {
    if (config.model().input().type() != InputType.FEED_FORWARD) {
      return Optional.of("MLPC takes flat feature vectors only");
    }
    List<LayerConfig> layers = config.model().layers();
    for (LayerConfig l : layers.subList(0, layers.size() - 1)) {
      if (l.type() != LayerType.DENSE) {
        return Optional.of("MLPC has dense layers only, not " + l.type().configName());
      }
    }
    LayerConfig out = config.model().outputLayer();
    if (out.loss() != LossFunction.MCXENT && out.loss() != LossFunction.SPARSE_MCXENT) {
      return Optional.of(
          "MLPC is a softmax classifier; the output loss is " + out.loss().configName());
    }
    return Optional.empty();
  }

  @Override
  public CompetitorRun run(BenchmarkContext ctx) {
    long t0 = System.nanoTime();
    JobConfig config = ctx.plan().config(List.of());
    JavaSparkContext sc = ctx.sc();
    TrainingData data = Workload.examples(sc, config, sc.defaultParallelism());
    Normalizer normalizer = Workload.normalizer(data.train(), config);
    Dataset<Row> train = frame(ctx, data.train(), normalizer).persist(StorageLevel.MEMORY_ONLY());
    Dataset<Row> test = frame(ctx, data.test(), normalizer).persist(StorageLevel.MEMORY_ONLY());
    long examples = train.count();
    test.count();
    int[] layers = layers(config);
    MultilayerPerceptronClassifier mlpc =
        new MultilayerPerceptronClassifier()
            .setLayers(layers)
            .setSolver("l-bfgs")
            .setMaxIter(iterationsPerEpoch)
            .setSeed(config.training().seed());
    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");
    double setup = SingleProcessDl4j.seconds(t0);

    List<CompetitorRun.EpochRecord> epochs = new ArrayList<>();
    List<Integer> iterations = new ArrayList<>();
    List<Double> evalSeconds = new ArrayList<>();
    Vector weights = null;
    try {
      for (int epoch = 1; epoch <= ctx.plan().epochs(); epoch++) {
        long e0 = System.nanoTime();
        if (weights != null) {
          mlpc.setInitialWeights(weights);
        }
        MultilayerPerceptronClassificationModel model = mlpc.fit(train);
        double fit = SingleProcessDl4j.seconds(e0);
        weights = model.weights();
        int iters = model.summary().totalIterations();
        iterations.add(iters);
        long v0 = System.nanoTime();
        double acc = accuracy.evaluate(model.transform(test));
        evalSeconds.add(SingleProcessDl4j.seconds(v0));
        double total = SingleProcessDl4j.seconds(e0);
        epochs.add(
            new CompetitorRun.EpochRecord(total, fit, acc, (double) examples * Math.max(1, iters)));
        LOG.info(
            "{} epoch {}: {} s ({} L-BFGS iterations), test accuracy {}",
            NAME,
            epoch,
            Format.seconds(total),
            iters,
            Format.accuracy(acc));
      }
    } finally {
      train.unpersist();
      test.unpersist();
    }

    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("layers", layers);
    settings.put("solver", "l-bfgs");
    settings.put("iterations_per_epoch", iterationsPerEpoch);
    settings.put("block_size", mlpc.getBlockSize());
    settings.put("hidden_activation", "sigmoid (MLPC's only choice)");
    settings.put("blas", blas());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("lbfgs_iterations", iterations);
    details.put("evaluation_seconds", evalSeconds);
    details.put(
        "examples_processed_note", "examples x L-BFGS iterations (line searches may add passes)");
    return new CompetitorRun(epochs, setup, examples, settings, details);
  }

  /** [input size, hidden units..., classes]. */
  static int[] layers(JobConfig config) {
    List<LayerConfig> layers = config.model().layers();
    int[] sizes = new int[layers.size() + 1];
    sizes[0] = config.model().input().size();
    for (int i = 0; i < layers.size(); i++) {
      sizes[i + 1] = layers.get(i).units();
    }
    sizes[sizes.length - 1] = config.data().numClasses();
    return sizes;
  }

  private static Dataset<Row> frame(
      BenchmarkContext ctx, JavaRDD<Example> examples, Normalizer normalizer) {
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);
    JavaRDD<Row> rows =
        examples.map(
            e -> {
              float[] f = e.features();
              double[] v = new double[f.length];
              for (int i = 0; i < f.length; i++) {
                v[i] = normalizer.apply(i, f[i]);
              }
              return RowFactory.create(e.label(), Vectors.dense(v));
            });
    return ctx.spark().createDataFrame(rows, schema);
  }

  private static String blas() {
    try {
      return dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
    } catch (RuntimeException | LinkageError e) {
      return "unknown (" + e + ")";
    }
  }
}
