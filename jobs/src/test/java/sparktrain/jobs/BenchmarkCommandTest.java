package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparktrain benchmark} as a user calls it; the runs themselves are tested in common. */
class BenchmarkCommandTest {
  private static final String CONF = CliJobs.MNIST_CONF;

  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  private String stdout() {
    return console.stdout();
  }

  private String stderr() {
    return console.stderr();
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
            "dl4j-single-process", "sparktrain-local", "sparktrain-dl4j", "mllib-mlpc");
    console.reset();
    assertThat(SparktrainCli.run("benchmark", "--list", "--config", CONF)).isZero();
    assertThat(stdout().lines().count()).isEqualTo(11);
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
