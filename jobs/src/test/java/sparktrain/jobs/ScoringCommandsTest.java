package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.model.NetworkFactory;

/** {@code evaluate} and {@code predict} as a user runs them: option shape, exit codes, outputs. */
class ScoringCommandsTest {
  private static final String CONFIG = CliJobs.MNIST_CONF;

  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  private String stderr() {
    return console.stderr();
  }

  private static List<String> sets() {
    List<String> sets = new ArrayList<>(CliJobs.mnistSets());
    sets.add("data.test-limit=200");
    return sets;
  }

  /** {@code COMMAND --model MODEL --config conf/mnist-mlp.conf --set ... --output OUT ...}. */
  private static String[] args(String command, Path model, Path output, String... more) {
    List<String> a =
        new ArrayList<>(List.of(command, "--model", model.toString(), "--config", CONFIG));
    for (String s : sets()) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(List.of("--output", output.toString(), "--master", "local[2]"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** A run directory with an (untrained) model of the shipped MNIST config. */
  private static Path runWithModel(Path tmp) throws Exception {
    JobConfig config = ConfigLoader.load(CONFIG, sets());
    Path run = tmp.resolve("run");
    ModelDirectory.write(
        run.resolve("model").toString(),
        new Configuration(),
        NetworkFactory.create(config.model(), 1),
        new CheckpointMetadata(1, 1, "cli-test", null, Map.of(), config.render(), Map.of()),
        Map.of());
    return run;
  }

  @Test
  void helpShowsTheOptions() {
    assertThat(SparktrainCli.run("evaluate", "--help")).isZero();
    assertThat(console.stdout())
        .contains("--model=PATH", "--config=FILE", "--set=KEY=VALUE", "--output=DIR", "--split");
    assertThat(SparktrainCli.run("predict", "--help")).isZero();
    assertThat(console.stdout()).contains("--overwrite");
    assertThat(SparktrainCli.run("--help")).isZero();
    assertThat(console.stdout()).contains("evaluate").contains("predict");
  }

  @Test
  void missingModelOrOutputIsAUsageError(@TempDir Path tmp) {
    assertThat(SparktrainCli.run("evaluate", "--config", CONFIG, "--output", tmp.toString()))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("--model");
    assertThat(SparktrainCli.run("predict", "--model", tmp.toString(), "--config", CONFIG))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("--output");
    assertThat(SparktrainCli.run("evaluate", "--model", "m", "--output", "o", "--split", "dev"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("'dev' is not a split");
  }

  @Test
  void modelThatDoesNotExistExitsTwo(@TempDir Path tmp) {
    int code = SparktrainCli.run(args("evaluate", tmp.resolve("nope"), tmp.resolve("eval")));

    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("error: --model").contains("does not exist");
    assertThat(tmp.resolve("eval")).doesNotExist();
  }

  @Test
  void evaluatesAndPredictsThroughTheCli(@TempDir Path tmp) throws Exception {
    Path run = runWithModel(tmp);

    int code = SparktrainCli.run(args("evaluate", run, tmp.resolve("eval")));

    assertThat(code).as(stderr()).isZero();
    assertThat(console.stdout().trim()).endsWith("eval/metrics.json");
    JsonNode metrics = new ObjectMapper().readTree(tmp.resolve("eval/metrics.json").toFile());
    assertThat(metrics.path("summary").path("examples").asInt()).isEqualTo(200);
    assertThat(tmp.resolve("eval/report/index.html")).exists();
    assertThat(tmp.resolve("eval/report/confusion.png")).exists();

    Path predictions = tmp.resolve("predictions");
    assertThat(SparktrainCli.run(args("predict", run, predictions))).as(stderr()).isZero();
    assertThat(predictions.resolve("_SUCCESS")).exists();
    JsonNode prov = new ObjectMapper().readTree(predictions.resolve("_sparktrain.json").toFile());
    assertThat(prov.path("rows").asInt()).isEqualTo(200);

    console.reset();
    assertThat(SparktrainCli.run(args("predict", run, predictions)))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("already exists").contains("--overwrite");
    assertThat(SparktrainCli.run(args("predict", run, predictions, "--overwrite")))
        .as(stderr())
        .isZero();
  }
}
