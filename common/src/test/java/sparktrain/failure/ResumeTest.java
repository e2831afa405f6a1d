package sparktrain.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sparktrain.testing.TestJobs.mnistSlice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointCorruptException;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.LogCapture;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Resuming after damage to the newest checkpoint, in {@code local[2]} on real files: a corrupted
 * {@code model.zip} (caught by its SHA-256) and a crash in the middle of a checkpoint write (a
 * temporary directory with a truncated {@code model.zip}, never renamed). Either way the run
 * resumes from the previous good checkpoint and ends complete.
 */
class ResumeTest extends LocalSparkTestBase {

  private static JobConfig config(Path out, int epochs) {
    return ConfigLoader.load(
        null,
        mnistSlice(
            out,
            "training.epochs=" + epochs,
            "data.train-limit=640",
            "data.test-limit=200",
            ResumeEquivalenceTest.SMALL_MLP));
  }

  private static CheckpointStore store(Path run) throws Exception {
    return new CheckpointStore(run.toUri().toString(), new Configuration(), 3);
  }

  @Test
  void corruptedNewestCheckpointIsSkippedWithAWarningNamingTheFile(@TempDir Path tmp)
      throws Exception {
    Path run = tmp.resolve("run");
    TrainJob.run(config(run, 2), spark, TrainJob.Options.fresh());
    Path model = run.resolve("checkpoints/epoch-0002/model.zip");
    flipBytes(model);
    // Without the local file system's .crc side file only the manifest's SHA-256 can tell.
    Files.delete(run.resolve("checkpoints/epoch-0002/.model.zip.crc"));

    assertThatThrownBy(() -> store(run).load("epoch-0002"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("File model.zip in ")
        .hasMessageContaining("epoch-0002 fails verification: expected SHA-256");

    TrainSummary s;
    List<String> warnings;
    try (LogCapture log = LogCapture.open()) {
      s = TrainJob.run(config(run, 3), spark, TrainJob.Options.fresh());
      warnings = log.warnings();
    }

    assertThat(warnings)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("Skipping checkpoint epoch-0002")
                    .contains("model.zip")
                    .contains("fails verification"));
    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(s.resumedFromEpoch()).isEqualTo(1);
    assertThat(s.epochsCompleted()).isEqualTo(3);
    assertThat(ResumeEquivalenceTest.epochsInMetrics(run)).containsExactly(1, 2, 3);
    // Epoch 2 was trained again and its checkpoint replaced by a good one.
    assertThat(store(run).load("epoch-0002").epoch()).isEqualTo(2);
    assertThat(store(run).loadLatest().orElseThrow().name()).isEqualTo("epoch-0003");
  }

  @Test
  void crashDuringACheckpointWriteLeavesThePreviousOneToResumeFrom(@TempDir Path tmp)
      throws Exception {
    Path run = tmp.resolve("run");
    TrainJob.run(config(run, 1), spark, TrainJob.Options.fresh());
    // What a crash between writing epoch 2's temporary directory and renaming it leaves behind.
    Path checkpoints = run.resolve("checkpoints");
    Path leftover = checkpoints.resolve("_tmp-epoch-0002-3f1c9a2e-dead-beef-0000-000000000000");
    Files.createDirectories(leftover);
    byte[] good = Files.readAllBytes(checkpoints.resolve("epoch-0001/model.zip"));
    Files.write(leftover.resolve("model.zip"), Arrays.copyOf(good, good.length / 2));

    assertThat(store(run).list()).containsExactly("epoch-0001");

    TrainSummary s = TrainJob.run(config(run, 2), spark, TrainJob.Options.fresh());

    assertThat(s.resumedFromEpoch()).isEqualTo(1);
    assertThat(s.epochsCompleted()).isEqualTo(2);
    assertThat(store(run).loadLatest().orElseThrow().name()).isEqualTo("epoch-0002");
    assertThat(store(run).load("epoch-0001").epoch()).isEqualTo(1);
    try (Stream<Path> entries = Files.list(checkpoints)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("_tmp-"));
    }
    assertThat(ResumeEquivalenceTest.epochsInMetrics(run)).containsExactly(1, 2);
  }

  @Test
  void metricsRowLostByACrashRightAfterTheCheckpointIsRestoredFromItsManifest(@TempDir Path tmp)
      throws Exception {
    Path run = tmp.resolve("run");
    TrainJob.run(config(run, 1), spark, TrainJob.Options.fresh());
    String row = Files.readString(run.resolve("metrics.jsonl")).trim();
    // A crash after publishing epoch-0001, before appending its row to metrics.jsonl.
    Files.writeString(run.resolve("metrics.jsonl"), "");
    Files.deleteIfExists(run.resolve(".metrics.jsonl.crc"));

    TrainSummary s = TrainJob.run(config(run, 2), spark, TrainJob.Options.fresh());

    assertThat(s.resumedFromEpoch()).isEqualTo(1);
    List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertThat(ResumeEquivalenceTest.epochsInMetrics(run)).containsExactly(1, 2);
    var restored = Json.MAPPER.readTree(rows.get(0));
    var original = Json.MAPPER.readTree(row);
    assertThat(restored.get("train_loss")).isEqualTo(original.get("train_loss"));
    assertThat(restored.get("test")).isEqualTo(original.get("test"));
    assertThat(restored.get("checkpoint").asText()).isEqualTo("epoch-0001");
  }

  static void flipBytes(Path file) throws Exception {
    byte[] data = Files.readAllBytes(file);
    for (int i = data.length / 2; i < data.length / 2 + 16; i++) {
      data[i] = (byte) ~data[i];
    }
    Files.write(file, data);
  }
}
