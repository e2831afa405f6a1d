package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.lease.Lease;
import sparktrain.registry.ModelRegistry;

/**
 * {@code train --register} and {@code retrain} as a scheduler runs them: what is printed, the exit
 * codes (0 any decision, 2 user error, 3 locked) and what is (not) written.
 */
class RetrainCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream oldErr;
  private PrintStream oldOut;

  @TempDir Path tmp;

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

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code command --config conf/mnist-mlp.conf} on the MNIST slices, with small limits. */
  private static List<String> args(String command, String... more) {
    Path m = Paths.get("..", "common", "src", "test", "resources", "mnist").toAbsolutePath();
    List<String> args = new ArrayList<>();
    args.add(command);
    args.add("--config");
    args.add(Paths.get("..", "conf", "mnist-mlp.conf").toString());
    for (String s :
        List.of(
            "data.train.images=" + m.resolve("train-images-idx3-ubyte"),
            "data.train.labels=" + m.resolve("train-labels-idx1-ubyte"),
            "data.test.images=" + m.resolve("t10k-images-idx3-ubyte"),
            "data.test.labels=" + m.resolve("t10k-labels-idx1-ubyte"),
            "data.train-limit=500",
            "data.test-limit=300",
            "training.epochs=1",
            "training.workers=2")) {
      args.add("--set");
      args.add(s);
    }
    args.addAll(List.of(more));
    args.add("--master");
    args.add("local[2]");
    return args;
  }

  private static int run(List<String> args) {
    return SparktrainCli.run(args.toArray(String[]::new));
  }

  @Test
  void trainRegistersTheChampionThenRetrainOnTheSameDataIsANoOpAndALockedRegistryExitsThree()
      throws Exception {
    String registry = tmp.resolve("registry/mnist").toString();

    int trained =
        run(args("train", "--output", tmp.resolve("run").toString(), "--register", registry));

    assertThat(trained).as(stderr()).isZero();
    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).endsWith(tmp.resolve("run") + "/summary.json");
    assertThat(lines.get(1)).isEqualTo("v0001 champion");
    ModelRegistry reg = ModelRegistry.open(registry, new Configuration());
    assertThat(reg.champion()).contains("v0001");

    // The same training input again: nothing to do, exit 0, decision in summary.json.
    Path again = tmp.resolve("again");
    assertThat(run(args("retrain", "--registry", registry, "--output", again.toString())))
        .as(stderr())
        .isZero();
    JsonNode summary = new ObjectMapper().readTree(again.resolve("summary.json").toFile());
    assertThat(summary.get("decision").asText()).isEqualTo("no-new-data");
    assertThat(stdout()).contains(again + "/summary.json");

    // Another process holds the lock: exit 3, a message naming the holder, nothing written.
    Path locked = tmp.resolve("locked");
    try (Lease.Handle held =
        reg.lock().tryAcquire(Duration.ofMinutes(5), "retrain by the nightly job")) {
      int code =
          run(
              args(
                  "retrain",
                  "--registry",
                  registry,
                  "--output",
                  locked.toString(),
                  "--set",
                  "data.train-offset=500"));
      assertThat(code).isEqualTo(ExitCodes.LOCKED);
      assertThat(stderr()).contains("retrain by the nightly job").contains("--break-lock");
      assertThat(locked).doesNotExist();
    }
    assertThat(reg.versions()).containsExactly("v0001");

    // A model section other than the champion's is a config error (exit 2), the champion stays.
    Path other = tmp.resolve("other-model");
    int code =
        run(
            args(
                "retrain",
                "--registry",
                registry,
                "--output",
                other.toString(),
                "--set",
                "data.train-offset=500",
                "--set",
                "model.updater.learning-rate=0.01"));
    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("model section differs").contains("v0001");
    assertThat(reg.champion()).contains("v0001");
    assertThat(reg.versions()).containsExactly("v0001");
  }

  @Test
  void retrainOfAMissingRegistryExitsTwoBeforeSparkStarts() {
    Path missing = tmp.resolve("nothing/here");

    int code = run(args("retrain", "--registry", missing.toString()));

    assertThat(code).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("No model registry at").contains("train --register");
  }

  @Test
  void retrainNeedsARegistry() {
    assertThat(run(args("retrain"))).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("--registry");
  }
}
