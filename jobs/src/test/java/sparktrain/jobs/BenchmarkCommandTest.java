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

  @Test
  void scoringTrainsAModelThenTimesSingleProcessEvaluateAndPredictOnTheSameData(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("scoring");
    List<String> args =
        new ArrayList<>(
            List.of(
                "benchmark",
                "--scoring",
                "--config",
                CONF,
                "--master",
                "local[2]",
                "--output",
                out.toString()));
    for (String s : CliJobs.sets(1, "evaluation.batch-size=64")) {
      args.add("--set");
      args.add(s);
    }
    int rc = SparktrainCli.run(args.toArray(String[]::new));
    assertThat(rc).as(stderr()).isZero();
    assertThat(stdout())
        .contains(
            "| dl4j-single-process-inference ",
            "| sparktrain-evaluate ",
            "| sparktrain-predict ",
            "examples/s",
            "scoring.json");
    JsonNode json = new ObjectMapper().readTree(out.resolve("scoring.json").toFile());
    assertThat(json.path("batch_size").asInt()).isEqualTo(64);
    assertThat(json.path("machine").path("cores").asInt()).isPositive();
    List<String> names = new ArrayList<>();
    long examples = json.get("results").get(0).get("examples").asLong();
    assertThat(examples).isPositive();
    for (JsonNode row : json.get("results")) {
      names.add(row.get("name").asText());
      assertThat(row.get("examples").asLong()).isEqualTo(examples);
      assertThat(row.get("examples_per_second").asDouble()).isPositive();
      assertThat(row.get("ratio_to_baseline").asDouble()).isPositive();
    }
    assertThat(names)
        .containsExactly(
            "dl4j-single-process-inference", "sparktrain-evaluate", "sparktrain-predict");
    // the baseline and evaluate score the same examples with the same model: the same accuracy
    assertThat(json.get("results").get(1).get("accuracy").asDouble())
        .isEqualTo(json.get("results").get(0).get("accuracy").asDouble());
    assertThat(out.resolve("evaluate/metrics.json")).exists();
    assertThat(out.resolve("predict/_SUCCESS")).exists();

    console.reset();
    assertThat(SparktrainCli.run(args.toArray(String[]::new))).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("scoring.json", "--force");
  }

  @Test
  void modelNeedsScoring() {
    assertThat(SparktrainCli.run("benchmark", "--model", "runs/x", "--config", CONF))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("--model needs --scoring");
  }
}
