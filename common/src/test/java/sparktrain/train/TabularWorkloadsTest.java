package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.diabetes;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.withCell;
import static sparktrain.testing.TestDatasets.withShortRow;
import static sparktrain.testing.TestDatasets.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.config.Normalization;
import sparktrain.data.DataException;
import sparktrain.data.LabelIndex;
import sparktrain.data.Normalizer;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;

/**
 * The shipped tabular configs ({@code conf/binary-mlp.conf}, {@code conf/logistic-regression.conf},
 * {@code conf/linear-regression.conf}) and a user's own CSV train in {@code local[2]} on the real
 * CSVs, to stated held-out bars. Epochs are reduced for speed; the bars are those of the full runs,
 * far above what a broken pipeline reaches (majority class: 0.63 accuracy; mean prediction: R² 0).
 */
class TabularWorkloadsTest extends LocalSparkTestBase {

  @TempDir Path tmp;

  /** A shipped config (as in the repository) on the test copy of its data. */
  static JobConfig shipped(String name, Path out, Path data, String... extra) {
    List<String> sets = new ArrayList<>();
    sets.add("data.path=\"" + data + "\"");
    sets.add("output.dir=\"" + out + "\"");
    sets.add("training.workers=2");
    sets.add("training.evaluate-every-epoch=false");
    sets.addAll(List.of(extra));
    return ConfigLoader.load(Path.of("..", "conf", name).toString(), sets);
  }

  private static JsonNode summaryJson(Path run) throws Exception {
    return Json.MAPPER.readTree(run.resolve("summary.json").toFile());
  }

  @Test
  void binaryMlpReachesItsHeldOutAccuracyAndSavesItsNormalizer() throws Exception {
    Path run = tmp.resolve("run");
    JobConfig config =
        shipped(
            "binary-mlp.conf",
            run,
            breastCancer(),
            "training.epochs=6",
            "checkpoint.every-n-epochs=3");

    TrainSummary s = TrainJob.run(config, spark, TrainJob.Options.fresh());

    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(s.trainExamples() + s.testExamples()).isEqualTo(569);
    assertThat(s.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.95);
    assertThat(s.skippedRows()).isEmpty();
    JsonNode summary = summaryJson(run);
    assertThat(summary.get("skipped_rows").size()).isZero();
    assertThat(summary.get("validation_examples").isNull()).isTrue();

    LoadedCheckpoint model = ModelDirectory.read(s.modelPath(), new Configuration());
    Normalizer saved = Normalizer.load(model);
    assertThat(saved.kind()).isEqualTo(Normalization.STANDARDIZE);
    assertThat(saved.count()).isEqualTo(s.trainExamples());
    assertThat(saved.featureNames()).hasSize(30).startsWith("mean_radius");
    assertThat(LabelIndex.find(model)).isEmpty();
    LoadedCheckpoint checkpoint = ModelDirectory.read(s.checkpointPath(), new Configuration());
    assertThat(Normalizer.load(checkpoint)).isEqualTo(saved);
  }

  @Test
  void logisticRegressionSkipsBadRowsAndReportsThemInTheSummary() throws Exception {
    List<String> bc = lines(breastCancer());
    bc = withCell(bc, 12, "mean_area", "n/a");
    bc = withShortRow(bc, 99);
    bc = withCell(bc, 200, "benign", "7");
    Path file = write(tmp, "bc.csv", bc);
    Path run = tmp.resolve("run");

    TrainSummary s =
        TrainJob.run(
            shipped(
                "logistic-regression.conf",
                run,
                file,
                "training.epochs=6",
                "checkpoint.every-n-epochs=6",
                "data.bad-rows=skip"),
            spark,
            TrainJob.Options.fresh());

    assertThat(s.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.94);
    assertThat(s.trainExamples() + s.testExamples()).isEqualTo(566);
    Map<String, Long> expected =
        Map.of("non-numeric", 1L, "wrong-column-count", 1L, "label-out-of-range", 1L);
    assertThat(s.skippedRows()).isEqualTo(expected);
    JsonNode skipped = summaryJson(run).get("skipped_rows");
    assertThat(skipped.get("non-numeric").asLong()).isEqualTo(1);
    assertThat(skipped.get("wrong-column-count").asLong()).isEqualTo(1);
    assertThat(skipped.get("label-out-of-range").asLong()).isEqualTo(1);
  }

  @Test
  void badInputFailsBeforeTrainingNamingTheRow() throws Exception {
    Path file = write(tmp, "bc.csv", withCell(lines(breastCancer()), 12, "mean_area", "n/a"));
    Path run = tmp.resolve("run");

    DataException e =
        assertThrows(
            DataException.class,
            () ->
                TrainJob.run(
                    shipped("logistic-regression.conf", run, file),
                    spark,
                    TrainJob.Options.fresh()));

    assertThat(e.getMessage())
        .contains(file + " line 12, column 'mean_area' (index 3): expected a number, got 'n/a'");
    assertThat(summaryJson(run).get("status").asText()).isEqualTo("failed");
    assertThat(summaryJson(run).get("epochs_completed").asInt()).isZero();
    assertThat(run.resolve("checkpoints/LATEST")).doesNotExist();
  }

  @Test
  void linearRegressionReachesItsHeldOutRSquared() throws Exception {
    Path run = tmp.resolve("run");
    TrainSummary s =
        TrainJob.run(
            shipped("linear-regression.conf", run, diabetes(), "training.epochs=15"),
            spark,
            TrainJob.Options.fresh());

    // the mean prediction scores R² 0; the shipped 30 epochs reach ~0.49
    assertThat(s.testMetrics().get("r2")).isGreaterThanOrEqualTo(0.40);
    assertThat(s.testExamples()).isBetween(60L, 120L);
    assertThat(s.testMetrics()).containsKeys("mse", "rmse", "mae", "r2");
    assertThat(s.testMetrics().get("rmse"))
        .isCloseTo(
            Math.sqrt(s.testMetrics().get("mse")), org.assertj.core.api.Assertions.within(1e-9));
    assertThat(summaryJson(run).path("test_metrics").path("r2").asDouble())
        .isEqualTo(s.testMetrics().get("r2"));
  }

  @Test
  void aValidationSplitIsEvaluatedEveryEpochAndTheTestSplitOnlyAtTheEnd() throws Exception {
    Path run = tmp.resolve("run");
    TrainSummary s =
        TrainJob.run(
            shipped(
                "binary-mlp.conf",
                run,
                breastCancer(),
                "training.epochs=3",
                "training.evaluate-every-epoch=true",
                "data.split.validation=0.2"),
            spark,
            TrainJob.Options.fresh());

    assertThat(s.validationExamples()).isBetween(80L, 150L);
    assertThat(s.trainExamples() + s.testExamples() + s.validationExamples()).isEqualTo(569);
    List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertThat(rows).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode row = Json.MAPPER.readTree(rows.get(i));
      assertThat(row.path("validation").path("examples").asLong())
          .isEqualTo(s.validationExamples());
      assertThat(row.path("test").size())
          .as("test metrics in epoch " + (i + 1))
          .isEqualTo(i < 2 ? 0 : s.testMetrics().size());
    }
    assertThat(s.validationMetrics().get("accuracy")).isGreaterThan(0.9);
    assertThat(summaryJson(run).path("validation_metrics").path("examples").asLong())
        .isEqualTo(s.validationExamples());
    // the checkpoint records what model selection (keep-best) sees: the validation metrics
    LoadedCheckpoint checkpoint = ModelDirectory.read(s.checkpointPath(), new Configuration());
    assertThat(checkpoint.metrics().get("accuracy"))
        .isEqualTo(s.validationMetrics().get("accuracy"));
    assertThat(Files.readString(run.resolve("report/index.html")))
        .contains("Final validation metrics")
        .contains("validation accuracy");
  }

  @Test
  void hingeLossTrainsALinearSvmOnClassIndexLabels() throws Exception {
    // labels stay 0/1 in the data; hinge is fed -1/+1 targets, one column or one per class
    for (int units : new int[] {1, 2}) {
      TrainSummary s =
          TrainJob.run(
              shipped(
                  "logistic-regression.conf",
                  tmp.resolve("svm-" + units),
                  breastCancer(),
                  "training.epochs=4",
                  "model.layers=[{type=output,units="
                      + units
                      + ",activation=identity,loss=hinge}]"),
              spark,
              TrainJob.Options.fresh());
      // majority class: 0.63; labels taken as 0 and 1 targets (no negatives) stay near it
      assertThat(s.testMetrics().get("accuracy"))
          .as(units + " unit(s)")
          .isGreaterThanOrEqualTo(0.94);
    }
  }

  /** A job on a CSV whose label column "diagnosis" holds class names. */
  private static JobConfig namedJob(Path file, Path run, int epochs) {
    return ConfigLoader.load(
        null,
        List.of(
            "data.format=csv",
            "data.path=\"" + file + "\"",
            "data.label=diagnosis",
            "model.input.size=30",
            "model.layers=[{type=output, units=1, activation=sigmoid, loss=xent}]",
            "training.epochs=" + epochs,
            "training.workers=2",
            "output.dir=\"" + run + "\""));
  }

  /** breast-cancer.csv with "benign"/"malignant" (or the given names) in a "diagnosis" column. */
  private static List<String> named(List<String> bc, String benign, String malignant) {
    List<String> out = new ArrayList<>();
    out.add(bc.get(0).replace(",benign", ",diagnosis"));
    for (String line : bc.subList(1, bc.size())) {
      out.add(
          line.substring(0, line.lastIndexOf(',') + 1)
              + (line.endsWith(",1") ? benign : malignant));
    }
    return out;
  }

  @Test
  void resumeKeepsTheSavedNormalizerAndRefusesChangedClassNames() throws Exception {
    List<String> bc = lines(breastCancer());
    Path run = tmp.resolve("run");
    Path full = write(tmp, "full.csv", named(bc, "benign", "malignant"));
    TrainJob.run(namedJob(full, run, 1), spark, TrainJob.Options.fresh());
    Normalizer first =
        Normalizer.load(ModelDirectory.read(run.resolve("model").toString(), new Configuration()));

    Path fewer = write(tmp, "fewer.csv", named(bc.subList(0, 400), "benign", "malignant"));
    TrainSummary resumed =
        TrainJob.run(namedJob(fewer, run, 2), spark, TrainJob.Options.resuming());
    LoadedCheckpoint model = ModelDirectory.read(resumed.modelPath(), new Configuration());

    assertThat(resumed.resumedFromEpoch()).isEqualTo(1);
    assertThat(Normalizer.load(model)).isEqualTo(first);
    assertThat(Normalizer.load(model).count()).isGreaterThan(399); // not refitted on 399 rows
    Path renamed = write(tmp, "renamed.csv", named(bc, "B", "M"));
    DataException e =
        assertThrows(
            DataException.class,
            () -> TrainJob.run(namedJob(renamed, run, 3), spark, TrainJob.Options.resuming()));
    assertThat(e.getMessage())
        .startsWith("the data's class names [B, M] differ from those of checkpoint ")
        .endsWith(
            " (labels.json: [benign, malignant]): a resumed run maps class names as its checkpoint"
                + " did");
  }

  @Test
  void aUsersOwnCsvTrainsWithOnlyThePathTheLabelAndTheModel() throws Exception {
    // The label first, named "diagnosis", with class names instead of 0/1.
    List<String> bc = lines(breastCancer());
    List<String> own = new ArrayList<>();
    own.add("diagnosis," + bc.get(0).substring(0, bc.get(0).lastIndexOf(',')));
    for (String line : bc.subList(1, bc.size())) {
      int comma = line.lastIndexOf(',');
      own.add((line.endsWith(",1") ? "benign," : "malignant,") + line.substring(0, comma));
    }
    Path file = write(tmp, "my-data.csv", own);
    Path run = tmp.resolve("run");

    TrainSummary s =
        TrainJob.run(
            ConfigLoader.load(
                null,
                List.of(
                    "data.format=csv",
                    "data.path=\"" + file + "\"",
                    "data.label=diagnosis",
                    "model.input.size=30",
                    "model.layers=[{type=dense, units=8, activation=relu},"
                        + " {type=output, units=1, activation=sigmoid, loss=xent}]",
                    "model.updater.learning-rate=0.01",
                    "training.epochs=4",
                    "training.workers=2",
                    "output.dir=\"" + run + "\"")),
            spark,
            TrainJob.Options.fresh());

    assertThat(s.testMetrics().get("accuracy")).isGreaterThan(0.9);
    LoadedCheckpoint model = ModelDirectory.read(s.modelPath(), new Configuration());
    assertThat(LabelIndex.find(model).orElseThrow().classes())
        .containsExactly("benign", "malignant");
    assertThat(Normalizer.load(model).kind()).isEqualTo(Normalization.STANDARDIZE);
    assertThat(Files.readString(run.resolve("model").resolve(LabelIndex.FILE_NAME)))
        .contains("\"column\" : \"diagnosis\"");

    DataException wrongSize =
        assertThrows(
            DataException.class,
            () ->
                TrainJob.run(
                    ConfigLoader.load(
                        null,
                        List.of(
                            "data.format=csv",
                            "data.path=\"" + file + "\"",
                            "data.label=diagnosis",
                            "output.dir=\"" + tmp.resolve("run2") + "\"")),
                    spark,
                    TrainJob.Options.fresh()));
    assertThat(wrongSize.getMessage())
        .startsWith("the data has 30 feature columns (mean_radius, mean_texture,")
        .endsWith(
            "but model.input.size is 784: set model.input.size = 30, or choose the features with"
                + " data.features / data.exclude");
  }
}
