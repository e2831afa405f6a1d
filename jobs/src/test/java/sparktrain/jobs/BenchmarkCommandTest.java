package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparktrain benchmark} as a user calls it; the runs themselves are tested in common. */
class BenchmarkCommandTest {
  private static final String CONF = Paths.get("..", "conf", "mnist-mlp.conf").toString();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream oldErr;
  private PrintStream oldOut;

  @BeforeEach
  void captureStreams() {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStreams() {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void isListedAndDocumentsItsOptions() {
    assertThat(SparktrainCli.run("--help")).isZero();
    assertThat(stdout()).contains("benchmark");
    assertThat(SparktrainCli.run("benchmark", "--help")).isZero();
    assertThat(stdout()).contains("--quick", "--output", "--master", "--target", "--only");
  }

  @Test
  void listsTheCompetitorsOfEachModeBaselineFirst() {
    assertThat(SparktrainCli.run("benchmark", "--quick", "--list", "--config", CONF)).isZero();
    assertThat(stdout().lines().map(l -> l.split("\t")[0]))
        .containsExactly(
            "dl4j-single-process", "sparktrain-local", "sparktrain-avg50", "mllib-mlpc");
    out.reset();
    assertThat(SparktrainCli.run("benchmark", "--list", "--config", CONF)).isZero();
    assertThat(stdout().lines().count()).isEqualTo(7);
  }

  @Test
  void unknownCompetitorIsAUsageErrorNamingTheKnownOnes() {
    assertThat(SparktrainCli.run("benchmark", "--only", "mlpc", "--list", "--config", CONF))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("mlpc", "mllib-mlpc");
  }

  @Test
  void targetOutsideZeroToOneIsAUsageError() {
    assertThat(SparktrainCli.run("benchmark", "--target", "97", "--config", CONF))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("--target", "97");
  }

  @Test
  void configErrorsAndPreviousResultsStopBeforeAnythingRuns(@TempDir Path tmp) throws Exception {
    Path bench = tmp.resolve("bench");
    assertThat(
            SparktrainCli.run(
                "benchmark",
                "--config",
                tmp.resolve("nope.conf").toString(),
                "--output",
                bench.toString()))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("nope.conf");
    assertThat(bench).doesNotExist();

    Files.createDirectories(bench);
    Files.writeString(bench.resolve("benchmark.json"), "{}");
    assertThat(SparktrainCli.run("benchmark", "--config", CONF, "--output", bench.toString()))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains(bench.toString(), "--force");
    assertThat(bench.resolve("benchmark.json")).hasContent("{}");
  }
}
