package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.Activation;
import sparktrain.config.InputConfig;
import sparktrain.config.LayerConfig;
import sparktrain.config.LayerType;
import sparktrain.config.LossFunction;
import sparktrain.config.ModelConfig;
import sparktrain.config.ScheduleConfig;
import sparktrain.config.ScheduleType;
import sparktrain.config.ScheduleUnit;
import sparktrain.config.UpdaterConfig;
import sparktrain.config.UpdaterType;
import sparktrain.config.WeightInit;
import sparktrain.data.Example;
import sparktrain.data.IdxDataset;
import sparktrain.model.NetworkFactory;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.MiniBatches;

/**
 * Metrics computed on {@code local[2]} executors (3 partitions, tree-merged) equal metrics computed
 * here in one process from the same network's outputs on the same minibatches: counts exactly, sums
 * within 1e-9. Real data: the MNIST slices, breast-cancer (binary), diabetes (regression).
 */
class DistributedEvaluatorTest extends LocalSparkTestBase {
  private static final double SUMS = 1e-9;

  // ---- multiclass: MNIST ----

  @Test
  void multiclassOnMnistEqualsSingleProcessReference() {
    ModelConfig model = mnistModel();
    MultiLayerNetwork net = NetworkFactory.create(model, 42);
    for (int epoch = 0; epoch < 2; epoch++) {
      for (DataSet b : mnist("train", 2500).collect()) {
        net.fit(b);
      }
    }
    JavaRDD<DataSet> test = mnist("t10k", 1000);
    List<DataSet> batches = test.collect();

    EvaluationResult result = DistributedEvaluator.evaluate(sc, net, test, model, 10);

    assertThat(result).isInstanceOf(ClassificationMetrics.class);
    ClassificationMetrics m = (ClassificationMetrics) result;
    long[][] confusion = new long[10][10];
    long top5 = 0;
    double logLoss = 0;
    double loss = 0;
    for (Scored b : Scored.all(net, batches)) {
      double[][] out = b.out();
      for (int i = 0; i < out.length; i++) {
        int actual = (int) b.y()[i][0];
        int predicted = 0;
        for (int c = 1; c < 10; c++) {
          predicted = out[i][c] > out[i][predicted] ? c : predicted;
        }
        confusion[actual][predicted]++;
        double[] sorted = out[i].clone();
        Arrays.sort(sorted);
        top5 += out[i][actual] >= sorted[5] ? 1 : 0;
        logLoss -= Math.log(Math.max(1e-15, out[i][actual]));
        loss += b.loss()[i];
      }
    }
    assertThat(m.confusion()).isEqualTo(confusion);
    assertThat(m.examples()).isEqualTo(1000);
    assertThat(m.nonFiniteOutputs()).isZero();
    assertThat(m.topKAccuracy() * 1000).isCloseTo(top5, within(1e-9));
    assertThat(m.logLoss()).isCloseTo(logLoss / 1000, within(SUMS));
    assertThat(m.meanLoss()).isCloseTo(loss / 1000, within(SUMS));
    // a trained network: far above chance, so argmax and label decoding are right
    assertThat(m.accuracy()).isGreaterThan(0.8);
    assertThat(m.topKAccuracy()).isGreaterThan(m.accuracy());
    // per-class F1 and its support-weighted mean from the reference matrix
    double weighted = 0;
    for (int c = 0; c < 10; c++) {
      long tp = confusion[c][c];
      long support = Arrays.stream(confusion[c]).sum();
      long predicted = 0;
      for (long[] row : confusion) {
        predicted += row[c];
      }
      double f1 = tp == 0 ? 0 : 2.0 * tp / (support + predicted);
      assertThat(m.f1(c)).isCloseTo(f1, within(1e-12));
      weighted += support * f1 / 1000;
    }
    assertThat(m.weightedF1()).isCloseTo(weighted, within(1e-12));
    assertThat(m.summary())
        .containsKeys(
            "accuracy",
            "f1",
            "weighted_f1",
            "loss",
            "log_loss",
            "top5_accuracy",
            "examples",
            "non_finite_outputs");
  }

  // ---- binary: breast-cancer ----

  @Test
  void binaryOnBreastCancerEqualsExactReferenceAndHistogramIsWithinItsBound() {
    Tabular data = Tabular.read("breast-cancer.csv", 1);
    ModelConfig model = model(30, dense(8), output(1, Activation.SIGMOID, LossFunction.XENT));
    MultiLayerNetwork net = trained(model, 7, Tabular.dataSet(data.trainX, data.trainY, 0), 150);
    List<DataSet> batches = Tabular.batches(data.testX, data.testY, 0, 16);
    JavaRDD<DataSet> rdd = sc.parallelize(batches, 3);

    EvaluationResult exactResult = DistributedEvaluator.evaluate(sc, net, rdd, model, 2);
    EvaluationResult histResult =
        DistributedEvaluator.evaluate(
            sc, net, rdd, EvaluationPlan.of(model, 2).withExactAucLimit(0));

    // reference: the same network's outputs on the same minibatches, in this process
    List<Double> pos = new ArrayList<>();
    List<Double> neg = new ArrayList<>();
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    double logLoss = 0;
    double loss = 0;
    for (Scored b : Scored.all(net, batches)) {
      for (int i = 0; i < b.out().length; i++) {
        double p = b.out()[i][0];
        boolean positive = b.y()[i][0] == 1;
        (positive ? pos : neg).add(p);
        boolean predicted = p >= 0.5;
        tp += positive && predicted ? 1 : 0;
        fp += !positive && predicted ? 1 : 0;
        tn += !positive && !predicted ? 1 : 0;
        fn += positive && !predicted ? 1 : 0;
        logLoss -= Math.log(Math.max(1e-15, Math.min(1 - 1e-15, positive ? p : 1 - p)));
        loss += b.loss()[i];
      }
    }
    int n = pos.size() + neg.size();
    double auc = pairwiseAuc(pos, neg);
    double prAuc = trapezoidPrAuc(pos, neg);

    for (EvaluationResult r : List.of(exactResult, histResult)) {
      assertThat(r).isInstanceOf(BinaryClassificationMetrics.class);
      BinaryClassificationMetrics m = (BinaryClassificationMetrics) r;
      assertThat(m.examples()).isEqualTo(n);
      assertThat(m.truePositives()).isEqualTo(tp);
      assertThat(m.falsePositives()).isEqualTo(fp);
      assertThat(m.trueNegatives()).isEqualTo(tn);
      assertThat(m.falseNegatives()).isEqualTo(fn);
      assertThat(m.accuracy()).isEqualTo((double) (tp + tn) / n);
      assertThat(m.precision()).isEqualTo((double) tp / (tp + fp));
      assertThat(m.recall()).isEqualTo((double) tp / (tp + fn));
      assertThat(m.logLoss()).isCloseTo(logLoss / n, within(SUMS));
      assertThat(m.meanLoss()).isCloseTo(loss / n, within(SUMS));
    }
    BinaryClassificationMetrics exact = (BinaryClassificationMetrics) exactResult;
    BinaryClassificationMetrics hist = (BinaryClassificationMetrics) histResult;
    assertThat(exact.aucMethod()).isEqualTo("exact");
    assertThat(exact.auc()).isCloseTo(auc, within(1e-12));
    assertThat(exact.prAuc()).isCloseTo(prAuc, within(1e-12));
    assertThat(hist.aucMethod()).isEqualTo("histogram");
    assertThat(Math.abs(hist.auc() - auc)).isLessThanOrEqualTo(hist.aucMaxError());
    assertThat(hist.prAuc()).isCloseTo(prAuc, within(0.01));
    // a trained model on this data: well above chance (reference figure 95-98 % accuracy)
    assertThat(auc).isGreaterThan(0.95);
    assertThat(exact.accuracy()).isGreaterThan(0.9);
    Map<String, Double> s = exact.summary();
    assertThat(s).containsKeys("accuracy", "f1", "loss", "auc", "pr_auc", "log_loss");
    assertThat(s.get("auc")).isEqualTo(exact.auc());
  }

  @Test
  void twoClassSoftmaxWithOneHotLabelsIsBinary() {
    Tabular data = Tabular.read("breast-cancer.csv", 2);
    ModelConfig model = model(30, output(2, Activation.SOFTMAX, LossFunction.MCXENT));
    MultiLayerNetwork net = trained(model, 3, Tabular.dataSet(data.trainX, data.trainY, 2), 100);
    List<DataSet> batches = Tabular.batches(data.testX, data.testY, 2, 32);

    EvaluationResult r =
        DistributedEvaluator.evaluate(sc, net, sc.parallelize(batches, 2), model, 2);

    assertThat(r).isInstanceOf(BinaryClassificationMetrics.class);
    List<Double> pos = new ArrayList<>();
    List<Double> neg = new ArrayList<>();
    for (Scored b : Scored.all(net, batches)) {
      for (int i = 0; i < b.out().length; i++) {
        (b.y()[i][1] == 1 ? pos : neg).add(b.out()[i][1]);
      }
    }
    BinaryClassificationMetrics m = (BinaryClassificationMetrics) r;
    assertThat(m.truePositives() + m.falseNegatives()).isEqualTo(pos.size());
    assertThat(m.auc()).isCloseTo(pairwiseAuc(pos, neg), within(1e-12));
    assertThat(m.auc()).isGreaterThan(0.95);
  }

  @Test
  void cachedMinibatchesScoreTheSameEveryTimeWhetherTheyAreFreedOrNot() {
    Tabular data = Tabular.read("breast-cancer.csv", 1);
    ModelConfig model = model(30, output(1, Activation.SIGMOID, LossFunction.XENT));
    MultiLayerNetwork net = trained(model, 3, Tabular.dataSet(data.trainX, data.trainY, 0), 100);
    List<DataSet> batches = Tabular.batches(data.testX, data.testY, 0, 16);
    for (StorageLevel level :
        List.of(
            StorageLevel.MEMORY_ONLY_SER(), StorageLevel.DISK_ONLY(), StorageLevel.MEMORY_ONLY())) {
      JavaRDD<DataSet> cached = sc.parallelize(batches, 3).persist(level);
      BinaryClassificationMetrics first =
          (BinaryClassificationMetrics) DistributedEvaluator.evaluate(sc, net, cached, model, 2);
      // serialized and on disk each read is a copy, freed after scoring; in memory as objects the
      // cached arrays themselves are read, and must not be freed
      BinaryClassificationMetrics again =
          (BinaryClassificationMetrics) DistributedEvaluator.evaluate(sc, net, cached, model, 2);
      assertThat(again.auc()).as(level.description()).isEqualTo(first.auc());
      assertThat(again.logLoss()).as(level.description()).isEqualTo(first.logLoss());
      assertThat(DistributedEvaluator.freshCopies(level)).isEqualTo(!level.deserialized());
      cached.unpersist(true);
    }
    assertThat(DistributedEvaluator.freshCopies(StorageLevel.NONE())).isFalse();
  }

  // ---- regression: diabetes ----

  @Test
  void regressionOnDiabetesEqualsSingleProcessReference() {
    Tabular data = Tabular.read("diabetes.csv", 1);
    ModelConfig model = modelWithRate(0.5, 10, output(1, Activation.IDENTITY, LossFunction.MSE));
    MultiLayerNetwork net = trained(model, 5, Tabular.dataSet(data.trainX, data.trainY, 0), 600);
    List<DataSet> batches = Tabular.batches(data.testX, data.testY, 0, 20);

    EvaluationResult r =
        DistributedEvaluator.evaluate(sc, net, sc.parallelize(batches, 3), model, 0);

    assertThat(r).isInstanceOf(RegressionMetrics.class);
    RegressionMetrics m = (RegressionMetrics) r;
    List<Double> residuals = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    double loss = 0;
    for (Scored b : Scored.all(net, batches)) {
      for (int i = 0; i < b.out().length; i++) {
        residuals.add(b.y()[i][0] - b.out()[i][0]);
        targets.add(b.y()[i][0]);
        loss += b.loss()[i];
      }
    }
    int n = residuals.size();
    double mean = targets.stream().mapToDouble(Double::doubleValue).sum() / n;
    double sst = targets.stream().mapToDouble(t -> (t - mean) * (t - mean)).sum();
    double sse = residuals.stream().mapToDouble(e -> e * e).sum();
    double sae = residuals.stream().mapToDouble(Math::abs).sum();
    assertThat(m.examples()).isEqualTo(n);
    assertThat(m.mse(0)).isCloseTo(sse / n, within(SUMS * sse / n));
    assertThat(m.rmse(0)).isCloseTo(Math.sqrt(sse / n), within(SUMS * Math.sqrt(sse / n)));
    assertThat(m.mae(0)).isCloseTo(sae / n, within(SUMS * sae / n));
    assertThat(m.r2(0)).isCloseTo(1 - sse / sst, within(SUMS));
    assertThat(m.meanLoss()).isCloseTo(loss / n, within(SUMS * loss / n));
    // DL4J's mse loss is the mse (in float)
    assertThat(m.meanLoss()).isCloseTo(m.mse(0), within(1e-5 * m.mse(0)));
    // held-out R² of a linear model on diabetes: about 0.45-0.5 (reference figure)
    assertThat(m.r2(0)).isBetween(0.3, 0.7);

    // residual histogram: every residual counted in the bin that holds it
    ResidualHistogram h = m.residualHistogram(0);
    double w = h.binWidth();
    long[] expected = new long[ResidualHistogram.BINS];
    double maxAbs = 0;
    for (double e : residuals) {
      expected[(int) Math.floor(e / w) + ResidualHistogram.BINS / 2]++;
      maxAbs = Math.max(maxAbs, Math.abs(e));
    }
    assertThat(h.counts()).isEqualTo(expected);
    assertThat(maxAbs).isLessThan(128 * w).isGreaterThanOrEqualTo(64 * w);
    assertThat(m.summary()).containsKeys("mse", "rmse", "mae", "r2", "loss");
  }

  // ---- NaN outputs ----

  @Test
  void networkWithNaNParametersIsReportedAsNonFiniteForEveryKind() {
    Tabular cancer = Tabular.read("breast-cancer.csv", 1);
    Tabular diabetes = Tabular.read("diabetes.csv", 1);
    ModelConfig binary = model(30, output(1, Activation.SIGMOID, LossFunction.XENT));
    ModelConfig regression = model(10, output(1, Activation.IDENTITY, LossFunction.MSE));
    ModelConfig multiclass = mnistModel();
    record Case(ModelConfig model, JavaRDD<DataSet> data, long n, String kind) {}
    List<Case> cases =
        List.of(
            new Case(
                binary,
                sc.parallelize(Tabular.batches(cancer.testX, cancer.testY, 0, 16), 3),
                cancer.testY.length,
                "binary"),
            new Case(
                regression,
                sc.parallelize(Tabular.batches(diabetes.testX, diabetes.testY, 0, 16), 3),
                diabetes.testY.length,
                "regression"),
            new Case(multiclass, mnist("t10k", 300), 300, "multiclass"));
    for (Case c : cases) {
      MultiLayerNetwork net = NetworkFactory.create(c.model(), 1);
      net.params().assign(Double.NaN);

      EvaluationResult r = DistributedEvaluator.evaluate(sc, net, c.data(), c.model(), 10);

      assertThat(r.kind()).isEqualTo(c.kind());
      Map<String, Double> s = r.summary();
      assertThat(s.get("examples")).as(c.kind()).isEqualTo((double) c.n());
      assertThat(s.get("non_finite_outputs")).as(c.kind()).isEqualTo((double) c.n());
      s.forEach(
          (k, v) -> {
            if (!k.equals("examples") && !k.equals("non_finite_outputs")) {
              assertThat(v).as(c.kind() + " " + k).isNaN();
            }
          });
      assertThat(r.detail()).containsKey("summary");
    }
  }

  @Test
  void labelThatIsNoClassIsAnErrorNamingIt() {
    // MNIST digits as labels of a binary (sigmoid, xent) model: 7 is not a 0/1 label
    ModelConfig binary = model(784, output(1, Activation.SIGMOID, LossFunction.XENT));
    MultiLayerNetwork net = NetworkFactory.create(binary, 1);
    assertThatThrownBy(() -> DistributedEvaluator.evaluate(sc, net, mnist("t10k", 50), binary, 2))
        .hasMessageContaining("is not a binary label in [0, 1]");
  }

  // ---- reference computations, independent of the code under test ----

  /** A minibatch's network outputs, labels and per-example losses, computed in this process. */
  private record Scored(double[][] out, double[][] y, double[] loss) {
    static List<Scored> all(MultiLayerNetwork net, List<DataSet> batches) {
      List<Scored> scored = new ArrayList<>();
      for (DataSet b : batches) {
        scored.add(
            new Scored(
                net.output(b.getFeatures(), false).toDoubleMatrix(),
                b.getLabels().toDoubleMatrix(),
                net.scoreExamples(b, false).toDoubleVector()));
      }
      return scored;
    }
  }

  /** Mann-Whitney: the fraction of (positive, negative) pairs ordered right, ties half. */
  private static double pairwiseAuc(List<Double> pos, List<Double> neg) {
    double ordered = 0;
    for (double p : pos) {
      for (double q : neg) {
        ordered += p > q ? 1 : p == q ? 0.5 : 0;
      }
    }
    return ordered / ((double) pos.size() * neg.size());
  }

  /** Trapezoid PR AUC over every distinct score as threshold, starting at (recall 0, 1). */
  private static double trapezoidPrAuc(List<Double> pos, List<Double> neg) {
    TreeSet<Double> thresholds = new TreeSet<>(pos);
    thresholds.addAll(neg);
    double area = 0;
    double prevRecall = 0;
    double prevPrecision = 1;
    for (double t : thresholds.descendingSet()) {
      long tp = pos.stream().filter(p -> p >= t).count();
      long fp = neg.stream().filter(q -> q >= t).count();
      double recall = (double) tp / pos.size();
      double precision = (double) tp / (tp + fp);
      area += (recall - prevRecall) * (precision + prevPrecision) / 2;
      prevRecall = recall;
      prevPrecision = precision;
    }
    return area;
  }

  // ---- models and data ----

  /** A network of {@code model} (seed {@code seed}) fitted {@code iterations} times on train. */
  private static MultiLayerNetwork trained(
      ModelConfig model, long seed, DataSet train, int iterations) {
    MultiLayerNetwork net = NetworkFactory.create(model, seed);
    for (int i = 0; i < iterations; i++) {
      net.fit(train);
    }
    return net;
  }

  private static JavaRDD<DataSet> mnist(String split, int limit) {
    var dir = LocalSpark.resource("mnist");
    JavaRDD<Example> ex =
        IdxDataset.read(
            sc,
            dir.resolve(split + "-images-idx3-ubyte").toString(),
            dir.resolve(split + "-labels-idx1-ubyte").toString(),
            limit,
            3);
    return MiniBatches.of(ex, 50, MiniBatches.LabelLayout.COLUMN, 10, 1f / 255);
  }

  private static ModelConfig mnistModel() {
    return model(784, dense(32), output(10, Activation.SOFTMAX, LossFunction.SPARSE_MCXENT));
  }

  private static LayerConfig dense(int units) {
    return new LayerConfig(
        LayerType.DENSE, units, Activation.RELU, null, 0, 0, 0, WeightInit.XAVIER);
  }

  private static LayerConfig output(int units, Activation activation, LossFunction loss) {
    return new LayerConfig(LayerType.OUTPUT, units, activation, loss, 0, 0, 0, WeightInit.XAVIER);
  }

  private static ModelConfig model(int inputs, LayerConfig... layers) {
    return modelWithRate(0.01, inputs, layers);
  }

  private static ModelConfig modelWithRate(double learningRate, int inputs, LayerConfig... layers) {
    return new ModelConfig(
        InputConfig.feedForward(inputs),
        List.of(layers),
        WeightInit.XAVIER,
        0,
        0,
        0,
        new UpdaterConfig(
            UpdaterType.ADAM,
            learningRate,
            0.9,
            0.9,
            0.999,
            1e-8,
            0,
            new ScheduleConfig(ScheduleType.NONE, ScheduleUnit.EPOCH, 0, 0, 0, 0)));
  }
}
