package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sparktrain.testing.TestJobs.mnistSlice;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.lease.LeaseHeldException;
import sparktrain.lease.LeaseInfo;
import sparktrain.lease.OutputLease;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;

/** End-to-end {@code train} on a slice of real MNIST in {@code local[2]}. */
class TrainJobTest extends LocalSparkTestBase {

  @Test
  void trainsMnistSliceToStatedAccuracyWithCheckpointsAndSummary(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("run");
    JobConfig config =
        ConfigLoader.load(null, mnistSlice(out, "training.epochs=3", "checkpoint.keep-last=2"));

    TrainSummary s = TrainJob.run(config, spark, TrainJob.Options.fresh());

    // 2,500 training images, 3 epochs: a working MLP gets well above 0.85 on 1,000 test images;
    // a broken one (labels misaligned, no scaling, updater reset) stays far below.
    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(s.epochsCompleted()).isEqualTo(3);
    assertThat(s.trainExamples()).isEqualTo(2500);
    assertThat(s.testExamples()).isEqualTo(1000);
    assertThat(s.testMetrics().get("accuracy")).isGreaterThan(0.85);
    assertThat(s.testMetrics().get("f1")).isGreaterThan(0.8);

    JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("epoch_seconds")).hasSize(3);
    for (String key :
        List.of(
            "workload",
            "epochs_completed",
            "test_metrics",
            "model_path",
            "checkpoint_path",
            "versions")) {
      assertThat(summary.has(key)).as(key).isTrue();
    }
    assertThat(summary.get("test_metrics").get("loss").asDouble()).isBetween(0.0, 1.0);

    List<String> rows = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertThat(rows).hasSize(3);
    JsonNode last = Json.MAPPER.readTree(rows.get(2));
    assertThat(last.get("epoch").asInt()).isEqualTo(3);
    assertThat(last.get("test").get("accuracy").asDouble())
        .isEqualTo(s.testMetrics().get("accuracy"));
    // the epoch's split: the rounds' fitting and averaging are parts of the engine's fit
    for (String row : rows) {
      JsonNode r = Json.MAPPER.readTree(row);
      double fit = r.get("fit_seconds").asDouble();
      assertThat(r.get("worker_fit_seconds").asDouble()).isPositive();
      assertThat(r.get("averaging_seconds").asDouble()).isNotNegative();
      // each is a part of the engine's fit; not their sum: the fitting is the slowest worker's,
      // the averaging worker 0's (its waits for a slower worker included), so when another
      // worker is the slowest the two overlap
      assertThat(r.get("worker_fit_seconds").asDouble()).isLessThanOrEqualTo(fit + 1e-3);
      assertThat(r.get("averaging_seconds").asDouble()).isLessThanOrEqualTo(fit + 1e-3);
      assertThat(r.get("checkpoint_seconds").asDouble())
          .isNotNegative()
          .isLessThanOrEqualTo(r.get("epoch_seconds").asDouble() - fit);
    }

    assertThat(out.resolve("config.conf")).exists();
    ConfigLoader.load(out.resolve("config.conf").toString(), List.of());

    // keep-last=2: epochs 2 and 3 remain, LATEST names epoch 3, hashes verify.
    CheckpointStore store = new CheckpointStore(out.toUri().toString(), new Configuration(), 2);
    assertThat(store.list()).containsExactly("epoch-0002", "epoch-0003");
    assertThat(Files.readString(out.resolve("checkpoints/LATEST")).trim()).isEqualTo("epoch-0003");
    LoadedCheckpoint latest = store.load("epoch-0003");
    assertThat(latest.manifest().epoch()).isEqualTo(3);

    // The final model is plain DL4J: ModelSerializer loads it, same params as the last checkpoint.
    File modelZip = out.resolve("model/model.zip").toFile();
    MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(modelZip, true);
    assertThat(model.params().equalsWithEps(latest.network().params(), 0)).isTrue();
    assertThat(model.getUpdater().getStateViewArray()).isNotNull();
    // the checkpoint, written in the background, holds the epoch's Adam state too
    assertThat(
            model
                .getUpdater()
                .getStateViewArray()
                .equalsWithEps(latest.network().getUpdater().getStateViewArray(), 0))
        .isTrue();

    // The report references only images that exist, and shows the final accuracy.
    String html = Files.readString(out.resolve("report/index.html"));
    var images = java.util.regex.Pattern.compile("src=\"([^\"]+)\"").matcher(html);
    int count = 0;
    while (images.find()) {
      assertThat(out.resolve("report").resolve(images.group(1))).isRegularFile();
      count++;
    }
    assertThat(count).isGreaterThanOrEqualTo(3);
    assertThat(html)
        .contains(String.format(java.util.Locale.ROOT, "%.4f", s.testMetrics().get("accuracy")));
  }

  @Test
  void refusesExistingRunDirectoryOfAnotherConfig(@TempDir Path tmp) {
    Path out = tmp.resolve("run");
    TrainJob.run(
        ConfigLoader.load(null, mnistSlice(out, "training.epochs=1", "data.train-limit=640")),
        spark,
        TrainJob.Options.fresh());

    JobConfig other =
        ConfigLoader.load(
            null,
            mnistSlice(
                out,
                "training.epochs=1",
                "data.train-limit=640",
                "model.updater.learning-rate=0.01"));
    assertThatThrownBy(() -> TrainJob.run(other, spark, TrainJob.Options.fresh()))
        .isInstanceOf(RunDirectoryException.class)
        .hasMessageContaining(out.getFileName().toString())
        .hasMessageContaining("different model/training config");
  }

  @Test
  void aCheckpointDirOutsideTheRunDirectoryIsLeasedToo(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("run");
    Path checkpoints = Files.createDirectories(tmp.resolve("shared-checkpoints"));
    Instant now = Instant.now();
    LeaseInfo other =
        new LeaseInfo(
            "node9", 77, "id-9", "train", now.toString(), now.plusSeconds(120).toString());
    Files.write(checkpoints.resolve(OutputLease.FILE_NAME), Json.pretty(other));
    JobConfig config =
        ConfigLoader.load(
            null,
            mnistSlice(
                out,
                "training.epochs=1",
                "data.train-limit=640",
                "checkpoint.dir=\"" + checkpoints + "\""));

    assertThatThrownBy(() -> TrainJob.run(config, spark, TrainJob.Options.fresh()))
        .hasRootCauseInstanceOf(LeaseHeldException.class)
        .rootCause()
        .hasMessageContaining("Output directory file:" + checkpoints + " is being written by train")
        .hasMessageContaining("pid 77");
    assertThat(out).as("refused before writing anything, no run directory left").doesNotExist();
  }
}
