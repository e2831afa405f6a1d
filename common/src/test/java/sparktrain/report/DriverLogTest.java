package sparktrain.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DriverLog}: a temp file from the start, moved into the run directory once it is known
 * (what was logged before included), deleted after a success that never found a directory, kept
 * after a failure.
 */
class DriverLogTest {
  private static final Logger LOG = LoggerFactory.getLogger("sparktrain.report.DriverLogTest");
  private static final Logger SPARK = LoggerFactory.getLogger("org.apache.spark.DriverLogTest");

  @TempDir Path tmp;

  @AfterEach
  void closeActive() {
    DriverLog.active().ifPresent(l -> l.close(false));
  }

  private static Path file(DriverLog log) {
    return Paths.get(log.location());
  }

  @Test
  void logsEverythingWithStackTracesAndMovesIntoTheRunDirectory() throws Exception {
    DriverLog log = DriverLog.start("train", "train", "--config", "x.conf").orElseThrow();
    Path temp = file(log);
    assertThat(temp.getFileName().toString()).startsWith("sparktrain-train-").endsWith(".log");
    LOG.info("before the run directory");
    SPARK.warn("Lost task 0.0 in stage 1.0\n\tat org.apache.spark.Foo.bar(Foo.scala:1)");
    LOG.error(DriverLog.FILE_ONLY, "train failed", new IllegalStateException("boom"));

    Path run = tmp.resolve("run");
    DriverLog.useDirectory(new org.apache.hadoop.fs.Path(run.toUri()), new Configuration());
    LOG.info("after the move");
    DriverLog.useDirectory(new org.apache.hadoop.fs.Path(tmp.resolve("other").toUri()), null);
    log.close(true);

    Path moved = run.resolve("logs/driver.log");
    assertThat(temp).doesNotExist();
    assertThat(tmp.resolve("other")).doesNotExist();
    String text = Files.readString(moved);
    assertThat(text)
        .startsWith("==== sparktrain train --config x.conf (started ")
        // the thread's name, in brackets, is whatever the test runner's thread is called by now
        // (MiniDFSCluster's IPC, started by an earlier test in the same JVM, renames it)
        .containsPattern(
            "INFO  \\[[^\\]]+\\] sparktrain.report.DriverLogTest: before the run directory")
        .containsPattern(
            "WARN  \\[[^\\]]+\\] org.apache.spark.DriverLogTest: Lost task 0.0 in stage 1.0")
        .contains("java.lang.IllegalStateException: boom")
        .contains("\tat sparktrain.report.DriverLogTest.")
        .contains("after the move")
        .endsWith(System.lineSeparator())
        .contains("==== done ");
    assertThat(text.indexOf("before the run directory")).isLessThan(text.indexOf("after the move"));
  }

  @Test
  void aResumedRunAppendsToTheLogOfTheEarlierAttempt() throws Exception {
    Path run = tmp.resolve("run");
    for (String attempt : new String[] {"first", "second"}) {
      DriverLog log = DriverLog.start("train", "train", attempt).orElseThrow();
      LOG.info("attempt {}", attempt);
      DriverLog.useDirectory(new org.apache.hadoop.fs.Path(run.toUri()), new Configuration());
      log.close(true);
    }
    String text = Files.readString(run.resolve("logs/driver.log"));
    assertThat(text).contains("attempt first").contains("attempt second");
    assertThat(text.indexOf("attempt first")).isLessThan(text.indexOf("attempt second"));
  }

  @Test
  void aLogWithoutDirectoryIsDeletedAfterSuccessAndKeptAfterFailure() {
    DriverLog ok = DriverLog.start("registry").orElseThrow();
    Path okFile = file(ok);
    LOG.info("listed");
    ok.close(true);
    assertThat(okFile).doesNotExist();

    DriverLog failed = DriverLog.start("train").orElseThrow();
    Path failedFile = file(failed);
    LOG.info("a user error");
    failed.close(false);
    assertThat(failedFile).exists();
    assertThat(DriverLog.active()).isEmpty();
    LOG.info("after close"); // no active log: nothing written, nothing thrown

    DriverLog usage = DriverLog.start("train").orElseThrow(); // e.g. a misspelt option
    Path usageFile = file(usage);
    usage.close(false);
    assertThat(usageFile).as("a log with nothing in it").doesNotExist();
  }
}
