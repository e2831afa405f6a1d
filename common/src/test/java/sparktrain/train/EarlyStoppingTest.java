package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestDatasets;

/**
 * Early stopping on the breast-cancer data (barrier engine, one worker, fixed data order): the run
 * stops before training.epochs with the best epoch's parameters, and a run interrupted after an
 * epoch without improvement resumes into the same stop and the same model.
 */
class EarlyStoppingTest extends LocalSparkTestBase {

  private static JobConfig config(Path out) {
    return breastCancerMlp(
        out,
        "model.updater.learning-rate=0.02",
        "training.epochs=30",
        "training.early-stopping.metric=loss",
        "training.early-stopping.patience=2",
        "training.early-stopping.restore-best=true");
  }

  /**
   * 30 features -> 16 ReLU -> 1 sigmoid on the breast-cancer data with a validation split, on one
   * worker in a fixed order (resumed runs are comparable parameter by parameter), then {@code
   * more}.
   */
  static JobConfig breastCancerMlp(Path out, String... more) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "output.dir=\"" + out + "\"",
                "model.layers=[{type=dense, units=16, activation=relu},"
                    + " {type=output, units=1, activation=sigmoid, loss=xent}]",
                "data.split.validation=0.25",
                "data.split.test=0.2",
                "training.workers=1",
                "training.shuffle=false",
                "training.batch-size-per-worker=16"));
    sets.addAll(List.of(more));
    return TestDatasets.breastCancerJob(
        "csv", TestDatasets.breastCancer(), sets.toArray(String[]::new));
  }

  @Test
  void stopsEarlyWithTheBestEpochAndResumesIntoTheSameStop(@TempDir Path tmp) throws Exception {
    Path straight = tmp.resolve("straight");
    TrainSummary s = TrainJob.run(config(straight), spark, TrainJob.Options.fresh());

    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
    int stopped = (Integer) s.earlyStopping().get("stopped_epoch");
    int best = (Integer) s.earlyStopping().get("best_epoch");
    assertThat(stopped).isLessThan(30);
    assertThat(best).isEqualTo(stopped - 2);
    assertThat(s.epochsCompleted()).isEqualTo(stopped);
    assertThat(s.earlyStopping()).containsEntry("restored_best", true);
    assertThat((String) s.earlyStopping().get("reason")).contains("patience 2");
    JsonNode summary = Json.MAPPER.readTree(Files.readString(straight.resolve("summary.json")));
    assertThat(summary.path("early_stopping").path("stopped_epoch").asInt()).isEqualTo(stopped);
    // The final model is the best epoch's checkpoint, not the last epoch's.
    CheckpointStore store =
        new CheckpointStore(straight.toUri().toString(), new Configuration(), 1);
    MultiLayerNetwork bestCk = store.load(CheckpointStore.checkpointName(best)).network();
    MultiLayerNetwork finalModel = finalModel(straight);
    assertThat(maxDiff(finalModel, bestCk)).isLessThanOrEqualTo(1e-7);
    // metrics.jsonl: the state after every epoch, wait counting up after the best one.
    List<Integer> waits = new ArrayList<>();
    for (String line : Files.readAllLines(straight.resolve("metrics.jsonl"))) {
      waits.add(Json.MAPPER.readTree(line).path("early_stopping").path("wait").asInt());
    }
    assertThat(waits).hasSize(stopped);
    assertThat(waits.subList(stopped - 3, stopped)).containsExactly(0, 1, 2);

    // A crash after epoch stopped-1 (one epoch without improvement): its checkpoint is the newest.
    Path resumed = tmp.resolve("resumed");
    FileUtils.copyDirectory(straight.toFile(), resumed.toFile());
    FileUtils.deleteDirectory(
        resumed.resolve("checkpoints").resolve(CheckpointStore.checkpointName(stopped)).toFile());
    TrainSummary r = TrainJob.run(config(resumed), spark, TrainJob.Options.fresh());

    assertThat(r.resumedFromEpoch()).isEqualTo(stopped - 1);
    assertThat(r.earlyStopping().get("stopped_epoch")).isEqualTo(stopped);
    assertThat(r.earlyStopping().get("best_epoch")).isEqualTo(best);
    assertThat(maxDiff(finalModel(resumed), finalModel)).isLessThanOrEqualTo(1e-5);
  }

  private static MultiLayerNetwork finalModel(Path run) throws Exception {
    return ModelSerializer.restoreMultiLayerNetwork(run.resolve("model/model.zip").toFile(), true);
  }

  private static double maxDiff(MultiLayerNetwork a, MultiLayerNetwork b) {
    return a.params().sub(b.params()).amaxNumber().doubleValue();
  }
}
