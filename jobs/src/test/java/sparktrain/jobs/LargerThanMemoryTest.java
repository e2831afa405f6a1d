package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.data.generate.ScaledMnist;

/**
 * Training data larger than the driver's heap, in a real child JVM ({@code local[2]}, one process:
 * the driver's heap is every worker's heap), and a heap too small for the model itself.
 */
class LargerThanMemoryTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(8);
  private static final List<String> QUIET = List.of("-Dspark.ui.enabled=false");

  @TempDir Path tmp;

  @Test
  void trainsOnDataFourTimesTheHeapAsFloats() throws Exception {
    // the 2,500-image slice x 280 shifted copies: 700,000 images, 2.2 GB as float32, over 4x 512
    // MiB
    Path m = CliJobs.mnist();
    ScaledMnist.Result data =
        ScaledMnist.write(
            m.resolve("train-images-idx3-ubyte").toString(),
            m.resolve("train-labels-idx1-ubyte").toString(),
            tmp.resolve("big").toString(),
            280,
            2,
            false,
            7,
            new Configuration());
    long floatBytes = data.records() * 784 * 4;
    assertThat(floatBytes).isGreaterThanOrEqualTo(4L * (512L << 20));
    Path run = tmp.resolve("run");
    List<String> args =
        CliJobs.train(
            run,
            1,
            "data.train.images=\"" + data.images() + "\"",
            "data.train.labels=\"" + data.labels() + "\"",
            "data.train-limit=0");
    Path console = tmp.resolve("console.txt");
    int code;
    try (CliProcess p = CliProcess.startWithHeap(console, "512m", QUIET, args)) {
      code = p.await(TIMEOUT);
    }
    String out = String.join("\n", Files.readAllLines(console));
    assertThat(code).as(out).isEqualTo(ExitCodes.OK);
    JsonNode summary = CliJobs.summary(run);
    assertThat(summary.path("status").asText()).isEqualTo("succeeded");
    assertThat(summary.path("train_examples").asLong()).as(summary.toString()).isEqualTo(700_000);
    assertThat(summary.path("test_metrics").path("accuracy").asDouble()).isGreaterThan(0.85);
    assertThat(run.resolve("data-cache")).as("the spool is deleted after success").doesNotExist();
  }

  @Test
  void aHeapTooSmallForTheModelIsOneLineNamingTheMemoryAndExit1() throws Exception {
    Path run = tmp.resolve("run");
    // 784 x 60,000 weights: three 188 MB copies (parameters, Adam's two moments) on the heap
    List<String> args =
        CliJobs.train(
            run,
            1,
            "model.layers=[{type=dense,units=60000,activation=relu},"
                + "{type=output,units=10,activation=softmax,loss=sparse-mcxent}]");
    Path console = tmp.resolve("console.txt");
    int code;
    try (CliProcess p = CliProcess.startWithHeap(console, "512m", QUIET, args)) {
      code = p.await(TIMEOUT);
    }
    List<String> lines =
        Files.readAllLines(console).stream().filter(l -> !l.startsWith("WARNING:")).toList();
    String out = String.join("\n", lines);
    assertThat(code).as(out).isEqualTo(ExitCodes.FAILURE);
    List<String> failed = lines.stream().filter(l -> l.startsWith("failed: ")).toList();
    assertThat(failed).as(out).hasSize(1);
    assertThat(failed.get(0))
        .startsWith("failed: out of memory: the Java heap ran out")
        .contains("JAVA_OPTS=-Xmx");
    assertThat(out).doesNotContain("\tat ");
    JsonNode summary = CliJobs.summary(run);
    assertThat(summary.path("status").asText()).isEqualTo("failed");
    assertThat(summary.path("error").asText()).startsWith("out of memory: the Java heap ran out");
  }
}
