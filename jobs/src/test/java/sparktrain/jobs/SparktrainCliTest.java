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

/** The command line as a user runs it: exit codes, messages, and what is (not) written. */
class SparktrainCliTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  private String stderr() {
    return console.stderr();
  }

  /** The MNIST slices of the common module's test resources, as --set arguments. */
  private static List<String> mnistSlice(Path run, String... more) {
    List<String> args = new ArrayList<>();
    args.add("train");
    args.add("--config");
    args.add(CliJobs.MNIST_CONF);
    for (String s : CliJobs.mnistSets()) {
      args.add("--set");
      args.add(s);
    }
    for (String s : more) {
      args.add("--set");
      args.add(s);
    }
    args.add("--output");
    args.add(run.toString());
    args.add("--master");
    args.add("local[2]");
    return args;
  }

  @Test
  void helpExitsZeroAndListsTrain() {
    assertThat(SparktrainCli.run("--help")).isZero();
    assertThat(console.stdout()).contains("train");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(SparktrainCli.run("trian")).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("trian");
  }

  @Test
  void configTypoExitsTwoNamingTheKeyAndWritesNoRunDirectory(@TempDir Path tmp) {
    Path run = tmp.resolve("run");
    List<String> args = mnistSlice(run, "training.epoch=3");

    int code = SparktrainCli.run(args.toArray(String[]::new));

    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("training.epoch").contains("did you mean 'training.epochs'");
    assertThat(run).doesNotExist();
  }

  @Test
  void severalConfigErrorsAreReportedTogether(@TempDir Path tmp) {
    Path run = tmp.resolve("run");
    int code =
        SparktrainCli.run(
            mnistSlice(run, "training.epochs=0", "model.updater.learning-rate=-1")
                .toArray(String[]::new));
    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("training.epochs").contains("model.updater.learning-rate");
    assertThat(run).doesNotExist();
  }

  @Test
  void missingConfigFileExitsTwo(@TempDir Path tmp) {
    int code = SparktrainCli.run("train", "--config", tmp.resolve("nope.conf").toString());
    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("nope.conf");
  }

  @Test
  void corruptDataExitsTwoNamingTheFile(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("train-images-truncated");
    byte[] images = Files.readAllBytes(CliJobs.mnist().resolve("train-images-idx3-ubyte"));
    Files.write(bad, java.util.Arrays.copyOf(images, images.length - 100));
    int code =
        SparktrainCli.run(
            mnistSlice(tmp.resolve("run"), "data.train.images=" + bad).toArray(String[]::new));
    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains(bad.getFileName().toString()).contains("truncated");
  }

  @Test
  void trainsThroughTheCliAndPrintsTheSummaryPath(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    int code =
        SparktrainCli.run(
            mnistSlice(run, "training.epochs=1", "data.train-limit=1000", "data.test-limit=500")
                .toArray(String[]::new));

    assertThat(code).as(stderr()).isZero();
    assertThat(console.stdout().trim()).endsWith("summary.json");
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(1);
    assertThat(summary.get("test_metrics").get("accuracy").asDouble()).isGreaterThan(0.6);
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(1);
    assertThat(run.resolve("model/model.zip")).exists();
    // the console has the progress; the run directory has the full driver log
    assertThat(stderr()).contains("epoch 1/1").doesNotContain("Running Spark version");
    assertThat(Files.readString(run.resolve("logs/driver.log")))
        .containsPattern("INFO  \\[[^\\]]+\\] org.apache.spark.SparkContext: Running Spark version")
        .contains("epoch 1/1")
        .contains("==== done ");
  }
}
