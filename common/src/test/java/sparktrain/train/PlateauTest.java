package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;

/**
 * The plateau schedule on the breast-cancer data (barrier engine, one worker, fixed data order):
 * the learning rate in metrics.jsonl follows Keras's ReduceLROnPlateau rule applied to the recorded
 * validation losses, the trained network carries the last rate, and a resumed run continues the
 * same schedule into the same model.
 */
class PlateauTest extends LocalSparkTestBase {
  private static final int EPOCHS = 8;

  private static JobConfig config(Path out) {
    return EarlyStoppingTest.breastCancerMlp(
        out,
        "model.updater.learning-rate=0.05",
        "training.epochs=" + EPOCHS,
        "checkpoint.keep-last=10",
        "training.plateau.metric=loss",
        "training.plateau.patience=1",
        "training.plateau.factor=0.5",
        "training.plateau.min-delta=0");
  }

  @Test
  void theRateFollowsKerasRuleAndResumesWithIt(@TempDir Path tmp) throws Exception {
    Path straight = tmp.resolve("straight");
    TrainSummary s = TrainJob.run(config(straight), spark, TrainJob.Options.fresh());
    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);

    List<Double> rates = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (JsonNode row : rows(straight)) {
      rates.add(row.path("learning_rate").asDouble());
      losses.add(row.path("validation").path("loss").asDouble());
    }
    assertThat(rates).hasSize(EPOCHS);
    // Keras's rule (patience 1, factor 0.5, no cooldown), applied to the recorded losses.
    List<Double> expected = new ArrayList<>();
    double rate = 0.05;
    double best = Double.POSITIVE_INFINITY;
    for (double loss : losses) {
      expected.add(rate);
      if (loss < best) {
        best = loss;
      } else {
        rate *= 0.5;
      }
    }
    for (int i = 0; i < EPOCHS; i++) {
      assertThat(rates.get(i)).as("epoch %d", i + 1).isCloseTo(expected.get(i), within(1e-12));
    }
    assertThat(rates.get(EPOCHS - 1)).as("the rate was halved at least once").isLessThan(0.05);
    // The trained network (what every worker received) carries the rate after the last epoch.
    double last =
        rows(straight).get(EPOCHS - 1).path("plateau").path("next_learning_rate").asDouble();
    assertThat(finalModel(straight).getLearningRate(0)).isCloseTo(last, within(1e-9));

    // A crash after epoch 5: the later checkpoints are gone; the resumed run continues the
    // schedule.
    Path resumed = tmp.resolve("resumed");
    FileUtils.copyDirectory(straight.toFile(), resumed.toFile());
    for (int e = 6; e <= EPOCHS; e++) {
      FileUtils.deleteDirectory(
          resumed.resolve("checkpoints").resolve(CheckpointStore.checkpointName(e)).toFile());
    }
    TrainSummary r = TrainJob.run(config(resumed), spark, TrainJob.Options.fresh());
    assertThat(r.resumedFromEpoch()).isEqualTo(5);
    List<Double> resumedRates = new ArrayList<>();
    for (JsonNode row : rows(resumed)) {
      resumedRates.add(row.path("learning_rate").asDouble());
    }
    assertThat(resumedRates).isEqualTo(rates);
    assertThat(
            finalModel(resumed)
                .params()
                .sub(finalModel(straight).params())
                .amaxNumber()
                .doubleValue())
        .isLessThanOrEqualTo(1e-5);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private static List<JsonNode> rows(Path run) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      rows.add(Json.MAPPER.readTree(line));
    }
    return rows;
  }

  private static MultiLayerNetwork finalModel(Path run) throws Exception {
    return ModelSerializer.restoreMultiLayerNetwork(run.resolve("model/model.zip").toFile(), true);
  }
}
