package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparktrain train} with {@code --resume} and {@code --force}, in this JVM. */
class TrainCommandResumeTest {
  @TempDir Path tmp;

  @BeforeAll
  static void quietSpark() {
    System.setProperty("spark.ui.enabled", "false");
  }

  @AfterAll
  static void clear() {
    System.clearProperty("spark.ui.enabled");
  }

  /** Exit code and standard error of one CLI run. */
  private record Result(int code, String err) {}

  private static Result cli(List<String> args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = SparktrainCli.run(args.toArray(String[]::new));
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void resumeWithoutACheckpointIsAUsageErrorAndStartsNothing() throws Exception {
    Path out = tmp.resolve("missing");

    Result r = cli(with(CliJobs.train(out, 1), "--resume"));

    assertThat(r.code()).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(r.err()).contains("--resume").contains(out.getFileName().toString());
    assertThat(out).doesNotExist();
  }

  @Test
  void anotherConfigIsRefusedUnlessForcedAndResumeContinuesTheRun() throws Exception {
    Path out = tmp.resolve("run");
    assertThat(cli(CliJobs.train(out, 1)).code()).isZero();

    Result refused = cli(CliJobs.train(out, 2, "model.updater.learning-rate=0.01"));
    assertThat(refused.code()).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(refused.err()).contains("different model/training config").contains("--force");
    assertThat(CliJobs.metricEpochs(out)).containsExactly(1);

    Result resumed = cli(with(CliJobs.train(out, 2), "--resume"));
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(CliJobs.summary(out).get("resumed_from_epoch").asInt()).isEqualTo(1);
    assertThat(CliJobs.metricEpochs(out)).containsExactly(1, 2);

    Result forced = cli(with(CliJobs.train(out, 3, "model.updater.learning-rate=0.01"), "--force"));
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(CliJobs.summary(out).get("resumed_from_epoch").asInt()).isEqualTo(2);
    assertThat(CliJobs.metricEpochs(out)).containsExactly(1, 2, 3);
    assertThat(Files.readString(out.resolve("config.conf"))).contains("0.01");
  }

  @Test
  void aDirectoryWithoutCheckpointsIsUsedOnlyWithForce() throws Exception {
    Path out = tmp.resolve("occupied");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "someone else's");

    Result refused = cli(CliJobs.train(out, 1));
    assertThat(refused.code()).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(refused.err()).contains("holds no checkpoint").contains("--force");

    Result forced = cli(with(CliJobs.train(out, 1), "--force"));
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(CliJobs.summary(out).get("resumed_from_epoch").isNull()).isTrue();
    assertThat(CliJobs.latest(out)).isEqualTo("epoch-0001");
  }
}
