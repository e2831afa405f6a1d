package sparktrain.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.eval.EvaluateJob;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestDatasets;

/**
 * The README's Spark ML example on the real breast-cancer data with real local[2] Spark: held-out
 * accuracy, a saved and reloaded PipelineModel that predicts identically, and MLlib's evaluators on
 * transform's output against sparktrain's own {@code evaluate} of the saved model on the same rows.
 */
class SparkMlPipelineTest extends LocalSparkTestBase {
  private static final String CONFIG = Path.of("..", "conf", "binary-mlp.conf").toString();

  @TempDir Path tmp;

  @Test
  void readmePipelineReachesAccuracyAndReloadsIdentically() throws Exception {
    ReadmeExample.Result r =
        ReadmeExample.run(
            spark,
            TestDatasets.breastCancer().toString(),
            CONFIG,
            tmp.resolve("pipeline").toString());

    double accuracy = accuracy(r.scored());
    System.out.printf("README pipeline: held-out accuracy %.4f, AUC %.4f%n", accuracy, r.auc());
    assertThat(accuracy).isGreaterThanOrEqualTo(0.95);
    assertThat(r.auc()).isGreaterThan(0.95);
    assertThat(r.scored().columns()).contains(r.test().columns());
    assertThat(r.scored().count()).isEqualTo(r.test().count());

    Dataset<Row> again = r.reloaded().transform(r.test());
    assertThat(outputs(again)).isEqualTo(outputs(r.scored()));
    assertThat(README()).contains(exampleBlock());
  }

  @Test
  void mllibEvaluatorsAgreeWithSparktrainEvaluate() throws Exception {
    List<String> lines = TestDatasets.lines(TestDatasets.breastCancer());
    List<String> train = new ArrayList<>(List.of(lines.get(0)));
    List<String> held = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      (i % 5 == 0 ? held : train).add(lines.get(i));
    }
    Path trainCsv = TestDatasets.write(tmp, "train.csv", train);
    Path heldCsv = TestDatasets.write(tmp, "held.csv", held);
    var assembler = MlTestData.assembler(lines.get(0), "benign");
    SparktrainModel model =
        new SparktrainEstimator()
            .setConfigPath(CONFIG)
            .setLabelCol("benign")
            .setEpochs(3)
            .setOutputDir(tmp.resolve("run").toString())
            .fit(assembler.transform(MlTestData.csv(spark, trainCsv)));
    assertThat(tmp.resolve("run/summary.json")).exists();
    assertThat(tmp.resolve("run/model/model.zip")).exists();

    Dataset<Row> scored = model.transform(assembler.transform(MlTestData.csv(spark, heldCsv)));
    double accuracy = accuracy(scored);
    double auc =
        new BinaryClassificationEvaluator()
            .setLabelCol("benign")
            .setRawPredictionCol("rawPrediction")
            .evaluate(scored);

    String saved = tmp.resolve("saved").toString();
    model.write().save(saved);
    var config =
        ConfigLoader.load(
            CONFIG,
            List.of(
                "data.path=\"\"",
                "data.train.path=\"" + trainCsv + "\"",
                "data.test.path=\"" + heldCsv + "\""));
    var evaluated =
        EvaluateJob.run(
            config, spark, new EvaluateJob.Options(saved, tmp.resolve("eval").toString()));
    var metrics = evaluated.metrics().summary();
    System.out.printf(
        "held-out: MLlib accuracy %.6f AUC %.6f; evaluate accuracy %.6f AUC %.6f%n",
        accuracy, auc, metrics.get("accuracy"), metrics.get("auc"));
    assertThat(metrics.get("examples")).isEqualTo((double) (held.size() - 1));
    assertThat(accuracy).isCloseTo(metrics.get("accuracy"), within(1e-9));
    assertThat(auc).isCloseTo(metrics.get("auc"), within(1e-9));
  }

  @Test
  void misuseNamesTheColumnItsTypeAndTheTypeExpected() {
    Path csv = TestDatasets.breastCancer();
    Dataset<Row> raw = MlTestData.csv(spark, csv);
    SparktrainEstimator estimator =
        new SparktrainEstimator().setConfigPath(CONFIG).setLabelCol("benign");
    assertThatThrownBy(() -> estimator.fit(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Column features (featuresCol) does not exist")
        .hasMessageContaining("Vector")
        .hasMessageContaining("mean_radius");
    assertThatThrownBy(() -> estimator.setFeaturesCol("mean_radius").fit(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Column mean_radius (featuresCol) must be of type vector")
        .hasMessageContaining("but was actually double");
    Dataset<Row> assembled =
        MlTestData.assembler(TestDatasets.lines(csv).get(0), "benign")
            .transform(raw)
            .withColumn("named", org.apache.spark.sql.functions.lit("B"));
    assertThatThrownBy(
            () -> estimator.setFeaturesCol("features").setLabelCol("named").fit(assembled))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Column named (labelCol) must be of type numeric")
        .hasMessageContaining("but was actually string");
    assertThatThrownBy(
            () -> estimator.setLabelCol("benign").setConfig("model.nope = 1").fit(assembled))
        .hasMessageContaining("setConfigPath")
        .hasMessageContaining("both");
  }

  private static double accuracy(Dataset<Row> scored) {
    return new MulticlassClassificationEvaluator()
        .setLabelCol("benign")
        .setMetricName("accuracy")
        .evaluate(scored);
  }

  private static List<String> outputs(Dataset<Row> scored) {
    List<String> out = new ArrayList<>();
    for (Row r : scored.select("prediction", "probability").collectAsList()) {
      out.add(r.getDouble(0) + " " + ((Vector) r.get(1)));
    }
    return out;
  }

  private static String README() throws java.io.IOException {
    return Files.readString(Path.of("..", "README.md"));
  }

  /** The example's code between its markers, indentation removed as in the README. */
  static String exampleBlock() throws java.io.IOException {
    String source =
        Files.readString(Path.of("src", "test", "java", "sparktrain", "ml", "ReadmeExample.java"));
    int start = source.indexOf("// README example start\n") + "// README example start\n".length();
    int end = source.indexOf("    // README example end");
    StringBuilder b = new StringBuilder();
    for (String line : source.substring(start, end).split("\n", -1)) {
      b.append(line.startsWith("    ") ? line.substring(4) : line).append('\n');
    }
    return b.toString().stripTrailing();
  }
}
