package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.HaltBeforePublishMain;

/**
 * The driver dies: {@code sparktrain train} runs as its own JVM and is killed with {@code kill -9}
 * after its first checkpoint, or halts (like {@code kill -9}) between writing a checkpoint and
 * publishing it. Running the same command again, once the dead driver's lease on the run directory
 * has expired, resumes from the last published checkpoint and finishes the configured epochs,
 * repeating at most the one epoch that was in progress.
 */
class DriverCrashResumeTest {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> QUIET = List.of("-Dspark.ui.enabled=false");

  @TempDir Path tmp;

  @Test
  void driverKilledAfterTheFirstCheckpointResumesFromIt() throws Exception {
    Path out = tmp.resolve("run");
    // the killed driver's lease expires 1 to 2 s after its last renewal
    List<String> args = CliJobs.train(out, 3, "output.lease-ttl=2s");
    String atKill;
    double firstToCheckpoint;
    try (CliProcess first = CliProcess.start(tmp.resolve("first.log"), QUIET, args)) {
      first.awaitUntil(
          () -> CliJobs.latest(out).equals("epoch-0001"), "LATEST = epoch-0001", RUN_TIMEOUT);
      firstToCheckpoint = first.elapsedSeconds();
      first.kill9();
      atKill = CliJobs.latest(out);
    }
    assertThat(out.resolve("summary.json")).doesNotExist();
    int resumedEpochs = Integer.parseInt(atKill.substring("epoch-".length()));

    CliJobs.awaitLeaseExpiry(out);
    CliProcess second = CliProcess.start(tmp.resolve("second.log"), QUIET, args);
    String next = String.format("epoch-%04d", resumedEpochs + 1);
    second.awaitUntil(() -> CliJobs.latest(out).equals(next), "LATEST = " + next, RUN_TIMEOUT);
    double secondToNext = second.elapsedSeconds();
    int status = second.await(RUN_TIMEOUT);

    assertThat(status).as(second.logTail()).isZero();
    JsonNode summary = CliJobs.summary(out);
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("resumed_from_epoch").asInt()).isEqualTo(resumedEpochs);
    assertThat(resumedEpochs).as("epochs kept from the killed run").isGreaterThanOrEqualTo(1);
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(3);
    assertThat(summary.get("epoch_seconds")).hasSize(3 - resumedEpochs);
    assertThat(CliJobs.metricEpochs(out)).containsExactly(1, 2, 3);
    assertThat(java.nio.file.Files.readString(out.resolve("logs/driver.log")))
        .as("the resumed run streams the killed run's spool instead of writing it again")
        .contains("Reusing the training data spool");
    assertThat(out.resolve("data-cache")).as("deleted after success").doesNotExist();
    System.out.printf(
        "RECOVERY driver kill -9: first run reached %s after %.1f s; the re-run (JVM, Spark, data,"
            + " resume) reached %s after %.1f s%n",
        atKill, firstToCheckpoint, next, secondToNext);
  }

  @Test
  void crashBetweenCheckpointWriteAndPublishResumesFromThePreviousCheckpoint() throws Exception {
    Path out = tmp.resolve("run");
    List<String> args = CliJobs.train(out, 3, "output.lease-ttl=2s");
    Path checkpoints = out.resolve("checkpoints");

    CliProcess first =
        CliProcess.startHaltingBeforePublish(tmp.resolve("first.log"), QUIET, "epoch-0002", args);
    int halted = first.await(RUN_TIMEOUT);

    assertThat(halted).as(first.logTail()).isEqualTo(HaltBeforePublishMain.HALT_STATUS);
    // Epoch 2's files were written completely into a temporary directory, never renamed.
    assertThat(CliJobs.latest(out)).isEqualTo("epoch-0001");
    assertThat(checkpoints.resolve("epoch-0002")).doesNotExist();
    assertThat(tmpEntries(checkpoints))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getFileName().toString()).startsWith("_tmp-epoch-0002-");
              assertThat(t.resolve("model.zip")).exists();
            });

    CliJobs.awaitLeaseExpiry(out);
    CliProcess second = CliProcess.start(tmp.resolve("second.log"), QUIET, args);
    int status = second.await(RUN_TIMEOUT);

    assertThat(status).as(second.logTail()).isZero();
    JsonNode summary = CliJobs.summary(out);
    assertThat(summary.get("resumed_from_epoch").asInt()).isEqualTo(1);
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(3);
    assertThat(CliJobs.metricEpochs(out)).containsExactly(1, 2, 3);
    assertThat(CliJobs.latest(out)).isEqualTo("epoch-0003");
    assertThat(tmpEntries(checkpoints)).isEmpty();
  }

  private static List<Path> tmpEntries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("_tmp-")).toList();
    }
  }
}
