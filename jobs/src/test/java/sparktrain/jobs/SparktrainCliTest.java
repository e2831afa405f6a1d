package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes, messages, and what is (not) written. */
class SparktrainCliTest {
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

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The MNIST slices of the common module's test resources, as --set arguments. */
  private static List<String> mnistSlice(Path run, String... more) {
    Path m = Paths.get("..", "common", "src", "test", "resources", "mnist").toAbsolutePath();
    List<String> args = new ArrayList<>();
    args.add("train");
    args.add("--config");
    args.add(Paths.get("..", "conf", "mnist-mlp.conf").toString());
    for (String s :
        List.of(
            "data.train.images=" + m.resolve("train-images-idx3-ubyte"),
            "data.train.labels=" + m.resolve("train-labels-idx1-ubyte"),
            "data.test.images=" + m.resolve("t10k-images-idx3-ubyte"),
            "data.test.labels=" + m.resolve("t10k-labels-idx1-ubyte"))) {
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
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("train");
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
    byte[] images =
        Files.readAllBytes(
            Paths.get(
                "..", "common", "src", "test", "resources", "mnist", "train-images-idx3-ubyte"));
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
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).endsWith("summary.json");
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(1);
    assertThat(summary.get("test_metrics").get("accuracy").asDouble()).isGreaterThan(0.6);
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(1);
    assertThat(run.resolve("model/model.zip")).exists();
  }
}
