package sparktrain.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.JobConfig;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.model.NetworkFactory;

/**
 * The baseline: plain DL4J {@link MultiLayerNetwork#fit} in this JVM, no Spark in the training
 * loop. The data is read and shuffled by the same code as {@code TrainJob} (with Spark, as setup,
 * then collected here); each epoch fits every minibatch once in a seeded random order, then scores
 * the test split in this JVM.
 */
public final class SingleProcessDl4j implements Competitor {
  /** Name in the results. */
  public static final String NAME = "dl4j-single-process";

  private static final Logger LOG = LoggerFactory.getLogger(SingleProcessDl4j.class);

  private final int batchSize;
  private final int threads;

  /**
   * @param batchSize minibatch size
   * @param threads BLAS threads while training (the process's cores)
   */
  public SingleProcessDl4j(int batchSize, int threads) {
    if (batchSize < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "batch size and threads must be >= 1, got " + batchSize + " and " + threads);
    }
    this.batchSize = batchSize;
    this.threads = threads;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DL4J MultiLayerNetwork.fit in one JVM, minibatch " + batchSize + ", no Spark";
  }

  @Override
  public CompetitorRun run(BenchmarkContext ctx) {
    long t0 = System.nanoTime();
    JobConfig config = ctx.plan().config(List.of());
    JavaSparkContext sc = ctx.sc();
    int partitions = sc.defaultParallelism();
    TrainingData data = Workload.examples(sc, config, partitions);
    List<Example> trainExamples = data.train().collect();
    // the job's normalizer, fitted on the training split as training does (a tabular config's
    // standardize would otherwise leave raw features: the baseline stayed at chance on them)
    Normalizer normalizer = Workload.normalizer(data.train(), config);
    List<DataSet> train = Workload.batches(trainExamples, batchSize, config, normalizer);
    List<DataSet> test = Workload.batches(data.test().collect(), batchSize, config, normalizer);
    long examples = trainExamples.size();
    trainExamples = null; // only the minibatches are kept
    long seed = config.training().seed();
    MultiLayerNetwork net = NetworkFactory.create(config.model(), seed);
    double setup = seconds(t0);

    List<CompetitorRun.EpochRecord> epochs = new ArrayList<>();
    List<Double> evalSeconds = new ArrayList<>();
    String threadSettings;
    try (NativeThreads previous = NativeThreads.useBlas(threads)) {
      threadSettings = NativeThreads.describe();
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        order.add(i);
      }
      for (int epoch = 1; epoch <= ctx.plan().epochs(); epoch++) {
        long e0 = System.nanoTime();
        // A new order every epoch, as DL4J on Spark deals minibatches to rounds every epoch.
        Collections.shuffle(order, new Random(seed + epoch));
        for (int i : order) {
          net.fit(train.get(i));
        }
        net.incrementEpochCount();
        double fit = seconds(e0);
        long v0 = System.nanoTime();
        double accuracy = accuracy(net, test);
        evalSeconds.add(seconds(v0));
        double total = seconds(e0);
        epochs.add(new CompetitorRun.EpochRecord(total, fit, accuracy, examples));
        LOG.info(
            "{} epoch {}: {} s (fit {} s), test accuracy {}",
            NAME,
            epoch,
            Format.seconds(total),
            Format.seconds(fit),
            Format.accuracy(accuracy));
      }
    }

    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("batch_size", batchSize);
    settings.put("native_threads", threadSettings);
    settings.put("minibatches_per_epoch", train.size());
    settings.put("data", "read and shuffled with Spark as setup, then held in this JVM");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("evaluation_seconds", evalSeconds);
    details.put("evaluation", "argmax of each test minibatch's output in this JVM");
    return new CompetitorRun(epochs, setup, examples, settings, details);
  }

  /**
   * Test accuracy the way a single-process user computes it: one forward pass per minibatch, argmax
   * of the whole output at once (a single output unit is thresholded at 0.5).
   */
  static double accuracy(MultiLayerNetwork net, List<DataSet> test) {
    long correct = 0;
    long total = 0;
    for (DataSet ds : test) {
      INDArray out = net.output(ds.getFeatures(), false);
      int[] predicted =
          out.columns() == 1
              ? out.gte(0.5).castTo(DataType.INT).toIntVector()
              : out.argMax(1).toIntVector();
      INDArray labels = ds.getLabels();
      int[] actual =
          labels.columns() == 1
              ? labels.castTo(DataType.INT).toIntVector()
              : labels.argMax(1).toIntVector();
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == actual[i]) {
          correct++;
        }
      }
      total += predicted.length;
    }
    return total == 0 ? Double.NaN : correct / (double) total;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
