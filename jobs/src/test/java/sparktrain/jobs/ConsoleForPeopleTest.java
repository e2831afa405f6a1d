package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees on the console of a real driver JVM ({@code sparktrain.jobs.SparktrainCli}
 * with the shipped {@code conf/log4j2.properties}, stdout and stderr together): on a user error the
 * message and where the full log is; on a failure inside Spark tasks one line per Spark warning and
 * the failure's first line, the executor stack traces only in the log file of the run directory.
 */
class ConsoleForPeopleTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final List<String> QUIET = List.of("-Dspark.ui.enabled=false");
  private static final Path BREAST = Paths.get("..", "conf", "data", "breast-cancer.csv");

  @TempDir Path tmp;

  private static List<String> console(Path log) throws Exception {
    return Files.readAllLines(log).stream()
        .filter(l -> !l.startsWith("WARNING:")) // the JVM's own, e.g. about --add-opens
        .toList();
  }

  private static Path logPath(List<String> console) {
    String last = console.get(console.size() - 1);
    assertThat(last).startsWith("full log: ");
    return Paths.get(last.substring("full log: ".length()));
  }

  @Test
  void aUserErrorIsTheMessageAndTheLogPath() throws Exception {
    byte[] labels = Files.readAllBytes(CliJobs.mnist().resolve("train-labels-idx1-ubyte"));
    labels[8 + 5] = 12;
    Path bad = Files.write(tmp.resolve("labels"), labels);
    Path run = tmp.resolve("run");
    List<String> args = CliJobs.train(run, 1, "data.train.labels=\"" + bad + "\"");
    Path out = tmp.resolve("console.txt");

    int code;
    try (CliProcess p = CliProcess.start(out, QUIET, args)) {
      code = p.await(TIMEOUT);
    }

    List<String> console = console(out);
    assertThat(code).as(String.join("\n", console)).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(console).as(String.join("\n", console)).hasSize(2);
    assertThat(console.get(0))
        .startsWith("error: data.train.labels = file:" + bad)
        .contains("outside [0, 10)");
    assertThat(Files.readString(logPath(console))).contains("\tat sparktrain.data.InputPreflight");
    assertThat(run).doesNotExist();
  }

  @Test
  void aBadFileFoundInsideSparkTasksShowsNoStackTraceAndNamesTheLogInTheRunDirectory()
      throws Exception {
    // a gzip file cut short: its first rows pass the check on the driver, the executor reading
    // the rest fails (EOFException) inside a Spark task, after the run directory was created
    List<String> lines = Files.readAllLines(BREAST);
    List<String> rows = new ArrayList<>(lines);
    for (int i = 0; i < 2; i++) {
      rows.addAll(lines.subList(1, lines.size()));
    }
    Path full = tmp.resolve("full.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(full))) {
      o.write((String.join("\n", rows) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] gz = Files.readAllBytes(full);
    Path cut = Files.write(tmp.resolve("cut.csv.gz"), Arrays.copyOf(gz, gz.length * 3 / 4));
    Path run = tmp.resolve("run");
    List<String> args =
        List.of(
            "train",
            "--config",
            Paths.get("..", "conf", "binary-mlp.conf").toString(),
            "--set",
            "data.path=\"" + cut + "\"",
            "--set",
            "training.epochs=1",
            "--output",
            run.toString(),
            "--master",
            "local[2]");
    Path out = tmp.resolve("console.txt");

    int code;
    try (CliProcess p = CliProcess.start(out, QUIET, args)) {
      code = p.await(TIMEOUT);
    }

    List<String> console = console(out);
    String text = String.join("\n", console);
    assertThat(code).as(text).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(console).as(text).hasSizeLessThanOrEqualTo(10);
    assertThat(text).doesNotContain("\tat ").doesNotContain("Caused by");
    assertThat(text) // Spark's own lines about the task, one line each
        .contains("WARN  TaskSetManager: Lost task 0.0 in stage 0.0")
        .contains("java.io.EOFException: Unexpected end of input stream [...]");
    assertThat(console.get(console.size() - 2))
        .isEqualTo(
            "error: file:"
                + cut
                + ": Unexpected end of input stream while reading it: a compressed file (.gz,"
                + " .bz2, ...) that ends too early; is it truncated? copy it again");
    Path log = logPath(console);
    assertThat(log).isEqualTo(run.resolve("logs/driver.log").toAbsolutePath());
    assertThat(Files.readString(log))
        .contains("INFO  [main] org.apache.spark.SparkContext: Running Spark version")
        .contains("java.io.EOFException")
        .contains("\tat org.apache.spark.");
  }
}
