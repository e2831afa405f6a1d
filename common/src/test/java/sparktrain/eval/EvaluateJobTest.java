package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.errors.JobArgumentException;
import sparktrain.io.Json;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestJobs;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * {@code evaluate} end to end on real MNIST slices in {@code local[2]}: metrics equal a
 * single-process computation, a TrainJob model's test accuracy is reproduced exactly, NaN outputs
 * are reported, and the report's images exist.
 */
class EvaluateJobTest extends LocalSparkTestBase {
  private static final int TEST_ROWS = 500;

  private static JobConfig config(String... extra) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                ScoringFixtures.SMALL_MLP,
                "data.test-limit=" + TEST_ROWS,
                "data.partitions=3",
                "training.batch-size-per-worker=16",
                "evaluation.batch-size=16"));
    sets.addAll(List.of(extra));
    return ScoringFixtures.config(sets.toArray(String[]::new));
  }

  /** Saves {@code net} to {@code model} and evaluates it there, metrics in {@code tmp/eval}. */
  private static EvaluateJob.Summary saveAndEvaluate(
      JobConfig config, MultiLayerNetwork net, Path model, Path tmp) throws Exception {
    ScoringFixtures.save(model, config, net);
    return EvaluateJob.run(
        config, spark, new EvaluateJob.Options(model.toString(), tmp.resolve("eval").toString()));
  }

  private static JsonNode metricsJson(Path out) throws Exception {
    return Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
  }

  @Test
  void metricsEqualASingleProcessComputationOnTheSameData(@TempDir Path tmp) throws Exception {
    JobConfig config = config();
    MultiLayerNetwork net = ScoringFixtures.trained(config, 40);
    EvaluateJob.Summary s = saveAndEvaluate(config, net, tmp.resolve("model"), tmp);

    // the reference: the IDX bytes read here, the same minibatches, one process
    long[][] confusion = new long[10][10];
    double logLoss = 0;
    double loss = 0;
    long top5 = 0;
    for (DataSet b : ScoringFixtures.Mnist.read("t10k", TEST_ROWS).jobBatches(3, 16)) {
      double[][] out = net.output(b.getFeatures(), false).toDoubleMatrix();
      double[] l = net.scoreExamples(b, false).toDoubleVector();
      double[][] y = b.getLabels().toDoubleMatrix();
      for (int i = 0; i < out.length; i++) {
        int actual = (int) y[i][0];
        int predicted = 0;
        int higher = 0;
        for (int c = 0; c < 10; c++) {
          predicted = out[i][c] > out[i][predicted] ? c : predicted;
          higher += out[i][c] > out[i][actual] ? 1 : 0;
        }
        confusion[actual][predicted]++;
        top5 += higher < 5 ? 1 : 0;
        logLoss -= Math.log(Math.max(1e-15, out[i][actual]));
        loss += l[i];
      }
    }
    long correct = 0;
    for (int c = 0; c < 10; c++) {
      correct += confusion[c][c];
    }
    ClassificationMetrics m = (ClassificationMetrics) s.metrics();
    assertThat(m.confusion()).isEqualTo(confusion);
    assertThat(m.examples()).isEqualTo(TEST_ROWS);
    assertThat(m.accuracy()).isEqualTo((double) correct / TEST_ROWS);
    assertThat(m.topKAccuracy()).isEqualTo((double) top5 / TEST_ROWS);
    assertThat(m.logLoss() * TEST_ROWS).isCloseTo(logLoss, within(1e-9));
    assertThat(m.meanLoss() * TEST_ROWS).isCloseTo(loss, within(1e-9));
    assertThat(m.accuracy()).as("a trained model").isGreaterThan(0.5);

    // metrics.json says the same, with provenance
    JsonNode j = metricsJson(tmp.resolve("eval"));
    assertThat(j.path("kind").asText()).isEqualTo("multiclass");
    for (int a = 0; a < 10; a++) {
      for (int p = 0; p < 10; p++) {
        assertThat(j.path("confusion_matrix").get(a).get(p).asLong()).isEqualTo(confusion[a][p]);
      }
    }
    assertThat(j.path("summary").path("accuracy").asDouble()).isEqualTo(m.accuracy());
    assertThat(j.path("summary").path("non_finite_outputs").asInt()).isZero();
    assertThat(j.path("model").path("kind").asText()).isEqualTo("model_directory");
    assertThat(j.path("model").path("resolved").asText()).endsWith("/model");
    assertThat(j.path("data").path("split").asText()).isEqualTo("test");
    assertThat(j.path("data").path("partitions").asInt()).isEqualTo(3);
    assertThat(j.path("data").path("normalization").asText()).isEqualTo("image-scale");
    JsonNode inputs = j.path("data").path("inputs");
    assertThat(inputs).hasSize(2);
    assertThat(inputs.get(0).path("path").asText()).endsWith("t10k-images-idx3-ubyte");
    assertThat(inputs.get(0).path("sha256").asText()).hasSize(64);
    assertThat(j.path("run").path("rows_per_second").asDouble()).isPositive();
    assertThat(j.path("run").path("driver_heap").path("peak_used_bytes").asLong()).isPositive();
    assertThat(j.path("versions").path("spark").asText())
        .isEqualTo(org.apache.spark.package$.MODULE$.SPARK_VERSION());

    // the report: index.html whose every image exists and is a PNG
    Path report = tmp.resolve("eval/report");
    String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
    List<String> images = imagesOf(html);
    assertThat(images).contains("confusion.png");
    for (String image : images) {
      assertThat(report.resolve(image)).exists();
      byte[] png = Files.readAllBytes(report.resolve(image));
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
    assertThat(html).contains("Per class").contains("t10k-images-idx3-ubyte");
  }

  @Test
  void reproducesTheTrainingRunsTestAccuracyExactly(@TempDir Path tmp) throws Exception {
    // the run's own config, as `train` used it (two workers: two partitions)
    JobConfig trainConfig =
        ConfigLoader.load(
            null,
            TestJobs.mnistSlice(
                tmp.resolve("run"),
                ScoringFixtures.SMALL_MLP,
                "training.epochs=1",
                "data.train-limit=800",
                "data.test-limit=" + TEST_ROWS));
    TrainSummary trained = TrainJob.run(trainConfig, spark, TrainJob.Options.fresh());

    EvaluateJob.Summary s =
        EvaluateJob.run(
            trainConfig,
            spark,
            new EvaluateJob.Options(tmp.resolve("run").toString(), tmp.resolve("eval").toString()));

    assertThat(s.metrics().summary().get("accuracy"))
        .isEqualTo(trained.testMetrics().get("accuracy"));
    assertThat(s.metrics().summary().get("loss"))
        .isCloseTo(trained.testMetrics().get("loss"), within(1e-9));
    assertThat(s.metrics().examples()).isEqualTo(TEST_ROWS);
    JsonNode j = metricsJson(tmp.resolve("eval"));
    assertThat(j.path("model").path("kind").asText()).isEqualTo("run_directory");
    assertThat(j.path("model").path("metrics_recorded").path("accuracy").asDouble())
        .isEqualTo(trained.testMetrics().get("accuracy"));

    // an evaluation never writes into a run directory (its report/ is the training report)
    assertThatThrownBy(
            () ->
                EvaluateJob.run(
                    trainConfig,
                    spark,
                    new EvaluateJob.Options(
                        tmp.resolve("run").toString(), tmp.resolve("run").toString())))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("not the output of an evaluation");
  }

  @Test
  void aModelWithNanOutputsIsReportedAsSuch(@TempDir Path tmp) throws Exception {
    JobConfig config = config();
    MultiLayerNetwork net = ScoringFixtures.trained(config, 2);
    net.params().assign(Double.NaN);
    EvaluateJob.Summary s = saveAndEvaluate(config, net, tmp.resolve("nan-model"), tmp);

    assertThat(s.metrics().nonFiniteOutputs()).isEqualTo(TEST_ROWS);
    assertThat(s.metrics().examples()).isEqualTo(TEST_ROWS);
    assertThat(s.metrics().summary().get("accuracy")).isNaN();
    JsonNode j = metricsJson(tmp.resolve("eval"));
    assertThat(j.path("summary").path("non_finite_outputs").asInt()).isEqualTo(TEST_ROWS);
    assertThat(j.path("summary").path("accuracy").asText()).isEqualTo("NaN");
    String html = Files.readString(tmp.resolve("eval/report/index.html"));
    assertThat(html).contains("500 of 500 examples had a NaN or infinite network output");
  }

  @Test
  void regressionGetsResidualPlotsAndExactSums(@TempDir Path tmp) throws Exception {
    JobConfig config = config(ScoringFixtures.REGRESSION, "model.updater.learning-rate=0.01");
    MultiLayerNetwork net = ScoringFixtures.trained(config, 40);
    EvaluateJob.Summary s = saveAndEvaluate(config, net, tmp.resolve("model"), tmp);

    double sse = 0;
    double sae = 0;
    for (DataSet b : ScoringFixtures.Mnist.read("t10k", TEST_ROWS).jobBatches(3, 16)) {
      double[] out = net.output(b.getFeatures(), false).toDoubleVector();
      double[] y = b.getLabels().toDoubleVector();
      for (int i = 0; i < out.length; i++) {
        sse += (y[i] - out[i]) * (y[i] - out[i]);
        sae += Math.abs(y[i] - out[i]);
      }
    }
    RegressionMetrics m = (RegressionMetrics) s.metrics();
    assertThat(m.scored()).isEqualTo(TEST_ROWS);
    assertThat(m.sse(0)).isCloseTo(sse, within(1e-9));
    assertThat(m.mae(0) * TEST_ROWS).isCloseTo(sae, within(1e-9));

    JsonNode j = metricsJson(tmp.resolve("eval"));
    assertThat(j.path("kind").asText()).isEqualTo("regression");
    JsonNode sample = j.path("residual_sample");
    assertThat(sample.path("rows").asInt()).isEqualTo(TEST_ROWS); // under the 1,000 cap: all
    JsonNode targets = sample.path("columns").get(0).path("target");
    double sampledSse = 0;
    for (int i = 0; i < targets.size(); i++) {
      double r =
          targets.get(i).asDouble()
              - sample.path("columns").get(0).path("prediction").get(i).asDouble();
      sampledSse += r * r;
    }
    // every row is in the sample, each with its own prediction (recomputed in a smaller batch)
    assertThat(sampledSse).isCloseTo(sse, within(1e-3 * sse));
    Path report = tmp.resolve("eval/report");
    List<String> images = imagesOf(Files.readString(report.resolve("index.html")));
    assertThat(images).containsExactly("residuals-0.png", "residual-histogram-0.png");
    for (String image : images) {
      assertThat(report.resolve(image)).isNotEmptyFile();
    }
  }

  @Test
  void unknownModelPathIsAnArgumentError(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                EvaluateJob.run(
                    config(),
                    spark,
                    new EvaluateJob.Options(
                        tmp.resolve("nope").toString(), tmp.resolve("eval").toString())))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("--model")
        .hasMessageContaining("does not exist");
    assertThat(tmp.resolve("eval")).doesNotExist();
  }

  static List<String> imagesOf(String html) {
    List<String> images = new ArrayList<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      images.add(m.group(1));
    }
    return images;
  }
}
