package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.train.Dl4jEngines;

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
    // the dl4j engine's variants (1 quick, 3 in all) only on the Spark 3.5 build, which has it;
    // the full mode also has sparktrain-memory (training.data-path = memory)
    boolean dl4j = Dl4jEngines.available();
    assertThat(SparktrainCli.run("benchmark", "--quick", "--list", "--config", CONF)).isZero();
    assertThat(stdout().lines().map(l -> l.split("\t")[0]).toList())
        .containsExactlyElementsOf(
            dl4j
                ? List.of(
                    "dl4j-single-process", "sparktrain-local", "sparktrain-dl4j", "mllib-mlpc")
                : List.of("dl4j-single-process", "sparktrain-local", "mllib-mlpc"));
    console.reset();
    assertThat(SparktrainCli.run("benchmark", "--list", "--config", CONF)).isZero();
    assertThat(stdout().lines().count()).isEqualTo(dl4j ? 12 : 9);
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

  @Test
  void allreduceRunsOnlyTheMicrobenchmarkAndWritesARowPerImplRanksAndSize(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("allreduce");
    String[] args = {
      "benchmark",
      "--allreduce",
      "--allreduce-ranks",
      "2,3",
      "--allreduce-sizes",
      "0.0004,0.004",
      "--allreduce-rounds",
      "2",
      "--output",
      out.toString()
    };
    assertThat(SparktrainCli.run(args)).isZero();
    assertThat(stdout())
        .contains(
            "| raw-tcp ",
            "| ring ",
            "| ring-secured ",
            "| local ",
            "median ms",
            "secured/ring",
            "allreduce.json");
    JsonNode json = new ObjectMapper().readTree(out.resolve("allreduce.json").toFile());
    List<String> rows = new ArrayList<>();
    for (JsonNode row : json.get("results")) {
      rows.add(row.get("impl").asText() + " " + row.get("ranks") + " " + row.get("size_mb"));
      assertThat(row.get("median_ms").asDouble()).isPositive();
      assertThat(row.get("p95_ms").asDouble()).isPositive();
    }
    assertThat(rows)
        .containsExactlyInAnyOrder(
            "raw-tcp 2 4.0E-4",
            "raw-tcp 2 0.004",
            "raw-tcp 3 4.0E-4",
            "raw-tcp 3 0.004",
            "ring-secured 2 4.0E-4",
            "ring-secured 2 0.004",
            "ring-secured 3 4.0E-4",
            "ring-secured 3 0.004",
            "ring 2 4.0E-4",
            "ring 2 0.004",
            "ring 3 4.0E-4",
            "ring 3 0.004",
            "local 2 4.0E-4",
            "local 2 0.004",
            "local 3 4.0E-4",
            "local 3 0.004");

    console.reset();
    assertThat(SparktrainCli.run(args)).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("allreduce.json", "--force");
  }

  @Test
  void allreduceOptionsNeedAllreduceAndValidValues() {
    assertThat(SparktrainCli.run("benchmark", "--allreduce-rounds", "3", "--config", CONF))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("need --allreduce");
    console.reset();
    assertThat(
            SparktrainCli.run(
                "benchmark", "--allreduce", "--allreduce-ranks", "0", "--output", "unused"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("ranks must be >= 1");
  }
}
