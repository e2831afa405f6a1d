package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static sparktrain.testing.TestJobs.mnistSlice;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;

/**
 * The evaluation step of {@code train} picks the metrics of the workload: a regression model (the
 * digit's value predicted from real MNIST pixels) gets mse/rmse/mae/r2, not accuracy.
 */
class TrainJobEvaluationTest extends LocalSparkTestBase {

  @Test
  void regressionRunReportsRegressionMetrics(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("run");
    int testExamples = 300;
    JobConfig config =
        ConfigLoader.load(
            null,
            mnistSlice(
                out,
                "training.epochs=1",
                "data.train-limit=1000",
                "data.test-limit=" + testExamples,
                "model.updater.learning-rate=0.01",
                "model.layers=[{type=dense,units=32,activation=relu},"
                    + "{type=output,units=1,activation=identity,loss=mse}]"));

    TrainSummary s = TrainJob.run(config, spark, TrainJob.Options.fresh());

    Map<String, Double> m = s.testMetrics();
    assertThat(m.keySet())
        .containsExactly("mse", "rmse", "mae", "r2", "loss", "examples", "non_finite_outputs");
    assertThat(m.get("examples")).isEqualTo((double) testExamples);
    assertThat(m.get("non_finite_outputs")).isZero();
    assertThat(m.get("rmse")).isCloseTo(Math.sqrt(m.get("mse")), within(1e-12));
    assertThat(m.get("mae")).isBetween(0.0, m.get("rmse"));
    // R² against the variance of the test labels read straight from the IDX file
    byte[] labels =
        Files.readAllBytes(LocalSpark.resource("mnist").resolve("t10k-labels-idx1-ubyte"));
    double mean = 0;
    for (int i = 0; i < testExamples; i++) {
      mean += labels[8 + i];
    }
    mean /= testExamples;
    double variance = 0;
    for (int i = 0; i < testExamples; i++) {
      variance += (labels[8 + i] - mean) * (labels[8 + i] - mean) / testExamples;
    }
    assertThat(m.get("r2")).isCloseTo(1 - m.get("mse") / variance, within(1e-9));
    // DL4J's mse loss of one output is the mse (computed in float)
    assertThat(m.get("loss")).isCloseTo(m.get("mse"), within(1e-5 * m.get("mse")));

    JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("test_metrics").get("r2").asDouble()).isEqualTo(m.get("r2"));
    assertThat(summary.get("test_metrics").has("accuracy")).isFalse();
    List<String> rows = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertThat(rows).hasSize(1);
    JsonNode test = Json.MAPPER.readTree(rows.get(0)).get("test");
    assertThat(test.get("mse").asDouble()).isEqualTo(m.get("mse"));
    assertThat(test.has("accuracy")).isFalse();
  }
}
