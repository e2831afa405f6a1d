package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.data.DataException;
import sparktrain.predict.PredictJob;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestDatasets;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * {@code evaluate} and {@code predict} of a CSV model on the real breast-cancer data: the model's
 * saved standardize normalizer and class-name index are applied, so evaluation reproduces the
 * training run's held-out metrics exactly, and a file holding only some of the class names is
 * scored with the model's indexes, not its own.
 */
class TabularScoringTest extends LocalSparkTestBase {

  @TempDir static Path tmp;

  private static Path data;
  private static JobConfig trainConfig;
  private static TrainSummary trained;

  @BeforeAll
  static void trainOnce() {
    // the label as class names: B(enign) and M(alignant), indexed B = 0, M = 1 (sorted)
    List<String> lines = TestDatasets.lines(TestDatasets.breastCancer());
    int label = List.of(lines.get(0).split(",")).indexOf("benign");
    List<String> named = new ArrayList<>();
    List<String> malignant = new ArrayList<>();
    named.add(lines.get(0));
    malignant.add(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      cells[label] = cells[label].equals("1") ? "B" : "M";
      named.add(String.join(",", cells));
      if (cells[label].equals("M")) {
        malignant.add(String.join(",", cells));
      }
    }
    data = TestDatasets.write(tmp, "named.csv", named);
    TestDatasets.write(tmp, "malignant.csv", malignant);
    trainConfig = config("output.dir=\"" + tmp.resolve("run") + "\"");
    trained = TrainJob.run(trainConfig, spark, TrainJob.Options.fresh());
  }

  private static JobConfig config(String... extra) {
    List<String> sets = new ArrayList<>();
    sets.add("data.path=\"" + data + "\"");
    sets.add("data.label-encoding=names");
    sets.add("training.workers=2");
    sets.add("training.epochs=3");
    sets.add("training.evaluate-every-epoch=false");
    sets.addAll(List.of(extra));
    return ConfigLoader.load(Path.of("..", "conf", "binary-mlp.conf").toString(), sets);
  }

  @Test
  void evaluateReproducesTheHeldOutMetricsWithTheSavedNormalizer() throws Exception {
    EvaluateJob.Summary s =
        EvaluateJob.run(
            config(),
            spark,
            new EvaluateJob.Options(tmp.resolve("run").toString(), tmp.resolve("eval").toString()));

    assertThat(trained.testMetrics().get("accuracy")).isGreaterThan(0.9);
    assertThat(s.metrics().examples()).isEqualTo(trained.testExamples());
    assertThat(s.metrics().summary().get("accuracy"))
        .isEqualTo(trained.testMetrics().get("accuracy"));
    assertThat(s.metrics().summary().get("auc")).isEqualTo(trained.testMetrics().get("auc"));
    assertThat(s.metrics().summary().get("loss"))
        .isCloseTo(trained.testMetrics().get("loss"), within(1e-9));
  }

  @Test
  void aFileWithOnlySomeClassNamesIsScoredWithTheModelsIndexes() throws Exception {
    // read alone, "M" would be class 0 of this file; the model's labels.json says 1
    EvaluateJob.Summary s =
        EvaluateJob.run(
            config("data.test.path=\"" + tmp.resolve("malignant.csv") + "\""),
            spark,
            new EvaluateJob.Options(
                tmp.resolve("run").toString(), tmp.resolve("eval-m").toString()));

    assertThat(s.metrics().examples()).isEqualTo(212);
    // a model that is > 0.9 accurate overall finds most malignant rows; with the file's own
    // indexes every label would be flipped and accuracy would be below 0.3
    assertThat(s.metrics().summary().get("accuracy")).isGreaterThan(0.8);
  }

  @Test
  void anUnknownClassNameIsADataErrorNamingIt() {
    List<String> lines = TestDatasets.lines(tmp.resolve("malignant.csv"));
    Path file =
        TestDatasets.write(tmp, "unknown.csv", TestDatasets.withCell(lines, 2, "benign", "X"));
    assertThatThrownBy(
            () ->
                EvaluateJob.run(
                    config("data.test.path=\"" + file + "\""),
                    spark,
                    new EvaluateJob.Options(
                        tmp.resolve("run").toString(), tmp.resolve("eval-x").toString())))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("benign")
        .hasMessageContaining("X");
    assertThat(tmp.resolve("eval-x")).doesNotExist();
  }

  @Test
  void predictWritesOneRowPerHeldOutRecordWithBothClassProbabilities() throws Exception {
    Path out = tmp.resolve("pred");
    PredictJob.run(
        config(),
        spark,
        new PredictJob.Options(tmp.resolve("run").toString(), out.toString(), false));

    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertThat((long) rows.size()).isEqualTo(trained.testExamples());
    Row r = rows.get(0);
    assertThat(r.getList(r.fieldIndex("probabilities"))).hasSize(2);
    long correct =
        rows.stream()
            .filter(
                x ->
                    x.getInt(x.fieldIndex("predicted_label"))
                        == (int) x.getDouble(x.fieldIndex("label")))
            .count();
    assertThat((double) correct / rows.size())
        .isCloseTo(trained.testMetrics().get("accuracy"), within(1e-12));
  }

  @Test
  void predictKeepsTheNamedInputColumnsInEveryRowAndNamesAnUnknownOne() throws Exception {
    Path out = tmp.resolve("pred-kept");
    PredictJob.run(
        config(),
        spark,
        new PredictJob.Options(
            tmp.resolve("run").toString(),
            out.toString(),
            false,
            Split.TEST,
            List.of("benign", "mean_radius")));

    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertThat((long) rows.size()).isEqualTo(trained.testExamples());
    List<String> radii = new ArrayList<>();
    for (String line : TestDatasets.lines(data).subList(1, TestDatasets.lines(data).size())) {
      radii.add(line.split(",")[0]);
    }
    for (Row r : rows) {
      // the kept class name is the row's own: B is class 0, M class 1
      String name = r.getString(r.fieldIndex("benign"));
      assertThat(r.getDouble(r.fieldIndex("label"))).isEqualTo(name.equals("M") ? 1.0 : 0.0);
      assertThat(radii).contains(r.getString(r.fieldIndex("mean_radius")));
    }

    assertThatThrownBy(
            () ->
                PredictJob.run(
                    config(),
                    spark,
                    new PredictJob.Options(
                        tmp.resolve("run").toString(),
                        tmp.resolve("pred-unknown").toString(),
                        false,
                        Split.TEST,
                        List.of("customer_id"))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("--keep-columns[0]: no column 'customer_id'")
        .hasMessageContaining("mean_radius, mean_texture");
  }
}
