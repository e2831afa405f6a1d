package sparktrain.bench;

import java.util.ArrayList;
import java.util.List;
import sparktrain.train.Dl4jEngines;

/**
 * The named competitors of the benchmark, defined in code so that runs stay comparable over time.
 *
 * <p>Every competitor trains the network the workload's config describes (the single-process
 * baseline and the sparktrain variants build it with {@code NetworkFactory}; MLlib's MLPC builds
 * the same layer sizes itself and declines models it cannot express). So a convolutional workload
 * (LeNet, {@code conf/mnist-lenet.conf}, once the model factory builds convolution layers) is
 * benchmarked by passing its config: {@code sparktrain benchmark --config conf/mnist-lenet.conf}.
 */
public final class Competitors {
  /** Minibatch size of the single-process baseline: DL4J's usual 32. */
  public static final int BASELINE_BATCH_SIZE = 32;

  private Competitors() {}

  /** The single-process DL4J baseline. */
  public static SingleProcessDl4j baseline() {
    return new SingleProcessDl4j(BASELINE_BATCH_SIZE, Runtime.getRuntime().availableProcessors());
  }

  /**
   * sparktrain variants through {@code TrainJob}: the shipped defaults first, then the tuned
   * settings evaluated against them, one lever each. The dl4j engine's variants only where this
   * build has that engine (the Spark 3.5 build, see {@link Dl4jEngines}).
   */
  public static List<SparkTrainVariant> sparkVariants() {
    return allSparkVariants().stream()
        .filter(v -> !v.usesDl4jEngine() || Dl4jEngines.available())
        .toList();
  }

  private static List<SparkTrainVariant> allSparkVariants() {
    return List.of(
        shippedDefaults(),
        new SparkTrainVariant(
            "sparktrain-memory",
            "shipped defaults, training data held in executor memory (data-path = memory)",
            List.of("training.data-path=memory")),
        dl4jDefaults(),
        new SparkTrainVariant(
            "sparktrain-avg5",
            "shipped defaults, averaging every 5 minibatches",
            List.of("training.averaging-frequency=5")),
        new SparkTrainVariant(
            "sparktrain-avg50",
            "shipped defaults, averaging every 50 minibatches",
            List.of("training.averaging-frequency=50")),
        new SparkTrainVariant(
            "sparktrain-batch16",
            "shipped defaults, minibatch 16 per worker",
            List.of("training.batch-size-per-worker=16")),
        new SparkTrainVariant(
            "sparktrain-batch64",
            "shipped defaults, minibatch 64 per worker",
            List.of("training.batch-size-per-worker=64")),
        new SparkTrainVariant(
            "sparktrain-1worker",
            "shipped defaults, one worker (no averaging across workers)",
            List.of("training.workers=1")),
        new SparkTrainVariant(
            "sparktrain-dl4j-batch16",
            "dl4j engine, minibatch 16 per worker (its best accuracy after 5 epochs)",
            List.of("training.engine=dl4j", "training.batch-size-per-worker=16")),
        new SparkTrainVariant(
            "sparktrain-dl4j-direct",
            "dl4j engine, rdd-approach direct (no export of minibatches)",
            List.of("training.engine=dl4j", "training.rdd-approach=direct")));
  }

  /** The shipped defaults on the dl4j engine (one Spark job per averaging round). */
  public static SparkTrainVariant dl4jDefaults() {
    return new SparkTrainVariant(
        "sparktrain-dl4j",
        "shipped defaults on the dl4j engine (one Spark job per averaging round)",
        List.of("training.engine=dl4j"));
  }

  /** sparktrain with the workload's config as shipped: no overrides. */
  public static SparkTrainVariant shippedDefaults() {
    return new SparkTrainVariant(
        "sparktrain-local", "sparktrain train with the job config as shipped", List.of());
  }

  /**
   * The competitors of a mode: baseline first, then sparktrain (quick: shipped defaults on the
   * barrier and, where this build has it, on the dl4j engine; full: every variant), then MLlib's
   * MLPC.
   */
  public static List<Competitor> forMode(BenchmarkMode mode, int mlpcIterationsPerEpoch) {
    List<Competitor> all = new ArrayList<>();
    all.add(baseline());
    List<SparkTrainVariant> variants = sparkVariants();
    if (mode == BenchmarkMode.QUICK) {
      all.add(shippedDefaults());
      if (Dl4jEngines.available()) {
        all.add(dl4jDefaults());
      }
    } else {
      all.addAll(variants);
    }
    all.add(new MllibMlpc(mlpcIterationsPerEpoch));
    return all;
  }
}
