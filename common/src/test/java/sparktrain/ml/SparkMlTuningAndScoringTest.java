package sparktrain.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.Test;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestDatasets;

/**
 * A CrossValidator over the estimator's learning rate and epochs on the real breast-cancer data,
 * and the traffic of scoring 100,000 rows, measured with a SparkListener: one broadcast of the
 * network, task binaries far smaller than it, no shuffle, a few bytes of results per task.
 */
class SparkMlTuningAndScoringTest extends LocalSparkTestBase {

  @Test
  void crossValidatorOverLearningRateAndEpochsPicksAModel() {
    Dataset<Row> data = MlTestData.assembled(spark, TestDatasets.breastCancer(), "benign");
    SparktrainEstimator estimator = MlTestData.estimator("binary-mlp.conf", "benign");
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(estimator.learningRate(), new double[] {1e-4, 1e-2})
            .addGrid(estimator.epochs(), new int[] {1, 2})
            .build();
    CrossValidatorModel cv =
        new CrossValidator()
            .setEstimator(estimator)
            .setEstimatorParamMaps(grid)
            .setEvaluator(new BinaryClassificationEvaluator().setLabelCol("benign"))
            .setNumFolds(2)
            .setSeed(7)
            .fit(data);
    double[] auc = cv.avgMetrics();
    System.out.println("CrossValidator AUC per grid point: " + java.util.Arrays.toString(auc));
    assertThat(auc).hasSize(4);
    int best = 0;
    for (int i = 1; i < auc.length; i++) {
      best = auc[i] > auc[best] ? i : best;
    }
    SparktrainModel chosen = (SparktrainModel) cv.bestModel();
    SparktrainEstimator parent = (SparktrainEstimator) chosen.parent();
    assertThat(parent.getOrDefault(parent.learningRate()))
        .isEqualTo(grid[best].apply(estimator.learningRate()));
    assertThat(parent.getOrDefault(parent.epochs()))
        .isEqualTo(grid[best].apply(estimator.epochs()));
    assertThat(auc[best]).isGreaterThan(0.9);
  }

  @Test
  void regressionModelAppendsOnlyPredictionAndBeatsTheMean() {
    Dataset<Row> data = MlTestData.assembled(spark, TestDatasets.diabetes(), "progression");
    SparktrainModel model =
        MlTestData.estimator("linear-regression.conf", "progression").setEpochs(5).fit(data);
    Dataset<Row> scored = model.transform(data);
    assertThat(scored.columns()).containsExactly(append(data.columns(), "prediction"));
    double r2 =
        new RegressionEvaluator().setLabelCol("progression").setMetricName("r2").evaluate(scored);
    System.out.printf("diabetes regression: r2 %.4f on the training rows%n", r2);
    assertThat(r2).isGreaterThan(0.2);
  }

  private static String[] append(String[] columns, String column) {
    String[] out = java.util.Arrays.copyOf(columns, columns.length + 1);
    out[columns.length] = column;
    return out;
  }

  @Test
  void transformOf100000RowsSendsTheNetworkOnceAndOnlyResultsBack() throws Exception {
    String config =
        "model { input { type = feed-forward, size = 64 }, layers = ["
            + " { type = dense, units = 512, activation = relu },"
            + " { type = dense, units = 512, activation = relu },"
            + " { type = output, units = 2, activation = softmax, loss = mcxent } ] }\n"
            + "data { num-classes = 2, normalization = none }\n"
            + "training { epochs = 1, batch-size-per-worker = 64 }";
    SparktrainModel model = new SparktrainEstimator().setConfig(config).fit(rows(256).limit(256));
    long paramBytes = model.network().numParams() * 4L;

    Traffic traffic = new Traffic();
    spark.sparkContext().addSparkListener(traffic);
    try {
      Dataset<Row> scored = model.transform(rows(100_000));
      double positives =
          scored.select("prediction").javaRDD().map(r -> r.getDouble(0)).reduce(Double::sum);
      spark.sparkContext().listenerBus().waitUntilEmpty();
      System.out.printf(
          "100,000 rows: network %d bytes; broadcasts %s; %d stages, %d tasks, shuffle %d bytes,"
              + " results %d bytes; %.0f predicted 1%n",
          paramBytes,
          traffic.broadcasts,
          traffic.stages.get(),
          traffic.tasks.get(),
          traffic.shuffleBytes.get(),
          traffic.resultBytes.get(),
          positives);
      List<Long> large = traffic.larger(paramBytes / 2);
      assertThat(large).hasSize(1);
      assertThat(large.get(0)).isGreaterThanOrEqualTo(paramBytes * 9 / 10);
      assertThat(traffic.stages.get()).isEqualTo(1);
      assertThat(traffic.shuffleBytes.get()).isZero();
      assertThat(traffic.resultBytes.get()).isLessThan(16_384L * traffic.tasks.get());

      // a second transform reuses the model's broadcast
      long again = model.transform(rows(1000)).count();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertThat(again).isEqualTo(1000);
      assertThat(traffic.larger(paramBytes / 2)).hasSize(1);
    } finally {
      spark.sparkContext().removeSparkListener(traffic);
    }
  }

  /** {@code n} rows of 64 deterministic features and a 0/1 label, made on the executors. */
  private static Dataset<Row> rows(long n) {
    List<Column> cells = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      cells.add(functions.sin(functions.col("id").plus(i)));
    }
    return spark
        .range(0, n, 1, 2)
        .select(
            functions.col("id"),
            org.apache
                .spark
                .ml
                .functions
                .array_to_vector(functions.array(cells.toArray(new Column[0])))
                .as("features"),
            functions.col("id").mod(2).cast("double").as("label"));
  }

  /** Broadcast block sizes by broadcast, shuffle and result bytes of the tasks seen. */
  private static final class Traffic extends SparkListener {
    final Map<Long, Long> broadcasts = new ConcurrentHashMap<>();
    final AtomicLong stages = new AtomicLong();
    final AtomicLong tasks = new AtomicLong();
    final AtomicLong shuffleBytes = new AtomicLong();
    final AtomicLong resultBytes = new AtomicLong();

    List<Long> larger(long bytes) {
      List<Long> out = new ArrayList<>();
      for (long size : broadcasts.values()) {
        if (size > bytes) {
          out.add(size);
        }
      }
      return out;
    }

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated e) {
      BlockId id = e.blockUpdatedInfo().blockId();
      String name = id.name();
      if (id.isBroadcast() && name.contains("_piece")) {
        long broadcast = Long.parseLong(name.split("_")[1]);
        long bytes = e.blockUpdatedInfo().memSize() + e.blockUpdatedInfo().diskSize();
        broadcasts.merge(broadcast, bytes, Long::sum);
      }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
      stages.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      tasks.incrementAndGet();
      var m = e.taskMetrics();
      shuffleBytes.addAndGet(
          m.shuffleReadMetrics().totalBytesRead() + m.shuffleWriteMetrics().bytesWritten());
      resultBytes.addAndGet(m.resultSize());
    }
  }
}
