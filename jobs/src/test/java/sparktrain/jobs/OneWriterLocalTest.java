package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import sparktrain.lease.OutputLease;

/**
 * {@link OneWriterContract} on the local file system, and a holder killed with {@code kill -9}: its
 * lease stays until it expires (a second writer is refused meanwhile, naming the dead holder), then
 * {@code train --resume} takes it over and finishes the run.
 */
class OneWriterLocalTest extends OneWriterContract {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> QUIET = List.of("-Dspark.ui.enabled=false");

  @Override
  String dir(String name) {
    return tmp.resolve(name).toUri().toString();
  }

  @Override
  FileSystem fs() {
    try {
      return FileSystem.getLocal(new Configuration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aLeaseLeftByAKilledHolderIsTakenOverByResumeOnceExpired() throws Exception {
    Path out = tmp.resolve("run");
    Path leaseFile = out.resolve(OutputLease.FILE_NAME);
    // renewed every 5 s: after the kill the lease lasts 10 to 15 s more
    List<String> args = CliJobs.train(out, 3, "output.lease-ttl=15s");
    long killedPid;
    try (CliProcess first = CliProcess.start(tmp.resolve("first.log"), QUIET, args)) {
      first.awaitUntil(
          () -> CliJobs.latest(out).equals("epoch-0001"), "LATEST = epoch-0001", RUN_TIMEOUT);
      killedPid = first.pid();
      first.kill9();
    }
    JsonNode left = new ObjectMapper().readTree(leaseFile.toFile());
    assertThat(left.get("pid").asLong()).isEqualTo(killedPid);
    assertThat(left.get("application").asText()).startsWith("local-");
    Instant expiry = Instant.parse(left.get("expires_at").asText());

    List<String> resume = new ArrayList<>(args);
    resume.add("--resume");
    try (CliProcess early = CliProcess.start(tmp.resolve("early.log"), QUIET, resume)) {
      int status = early.await(RUN_TIMEOUT);
      assertThat(Instant.now()).as("refused before the lease expired").isBefore(expiry);
      assertThat(status).as(early.logTail()).isEqualTo(ExitCodes.LOCKED);
      assertThat(early.logTail())
          .contains("pid " + killedPid)
          .contains("its lease expires at " + expiry)
          .contains("then rerun with --resume");
    }

    CliJobs.awaitLeaseExpiry(out);
    try (CliProcess resumed = CliProcess.start(tmp.resolve("resumed.log"), QUIET, resume)) {
      int status = resumed.await(RUN_TIMEOUT);
      assertThat(status).as(resumed.logTail()).isZero();
    }
    // the takeover's WARN, on the console or in the run's driver log
    assertThat(Files.readString(tmp.resolve("resumed.log")) + driverLog(out))
        .contains("Took over output directory")
        .contains("pid " + killedPid);
    JsonNode summary = CliJobs.summary(out);
    assertThat(summary.get("resumed_from_epoch").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(3);
    assertThat(CliJobs.metricEpochs(out)).containsExactly(1, 2, 3);
    assertThat(leaseFile).doesNotExist();
  }

  private static String driverLog(Path run) throws IOException {
    Path log = run.resolve("logs/driver.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
