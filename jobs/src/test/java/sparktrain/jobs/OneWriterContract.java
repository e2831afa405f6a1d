package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.lease.OutputLease;
import sparktrain.model.NetworkFactory;

/**
 * One writer per output directory, with real CLI processes (separate driver JVMs) started together
 * into one directory: for {@code train}, {@code evaluate} and {@code predict}, one exits 3 with a
 * line naming the other (its pid) and how to take over, the other completes, and the directory
 * holds exactly one command's output and no lease. Subclasses give the file system.
 */
abstract class OneWriterContract {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> QUIET = List.of("-Dspark.ui.enabled=false");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** A fresh directory URI named {@code name} on the file system under test. */
  abstract String dir(String name);

  /** The file system under test. */
  abstract FileSystem fs();

  @Test
  void twoTrainsIntoOneRunDirectoryOneIsRefusedAndTheRunIsWhole() throws Exception {
    String run = dir("run");
    Pair pair = startTogether(CliJobs.train(run, 2));

    assertThat(pair.loserLog())
        .contains("Output directory " + qualified(run) + " is being written by train on host")
        .contains("pid " + pair.winner.pid())
        .contains("since ")
        .contains("rerun with --resume");
    JsonNode summary = json(run + "/summary.json");
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(2);
    assertThat(summary.get("epoch_seconds")).hasSize(2);
    assertThat(summary.has("resumed_from_epoch") && !summary.get("resumed_from_epoch").isNull())
        .as("a run that did not start over another's")
        .isFalse();
    List<Integer> epochs = new ArrayList<>();
    for (String line : text(run + "/metrics.jsonl").split("\n")) {
      epochs.add(JSON.readTree(line).get("epoch").asInt());
    }
    assertThat(epochs).containsExactly(1, 2);
    assertThat(text(run + "/checkpoints/LATEST").trim()).isEqualTo("epoch-0002");
    assertThat(names(run + "/checkpoints"))
        .containsExactlyInAnyOrder("LATEST", "epoch-0001", "epoch-0002");
    JsonNode last = json(run + "/checkpoints/epoch-0002/manifest.json");
    JsonNode model = json(run + "/model/manifest.json");
    assertThat(json(run + "/checkpoints/epoch-0001/manifest.json").get("iteration").asLong())
        .isLessThan(last.get("iteration").asLong());
    assertThat(model.get("iteration")).isEqualTo(last.get("iteration"));
    assertThat(model.get("metrics")).isEqualTo(last.get("metrics"));
    assertThat(names(run)).doesNotContain(OutputLease.FILE_NAME);
  }

  @Test
  void twoEvaluationsIntoOneDirectoryOneIsRefused() throws Exception {
    String out = dir("eval");
    Pair pair = startTogether(CliJobs.score("evaluate", model(), out));

    assertThat(pair.loserLog())
        .contains("Output directory " + qualified(out) + " is being written by evaluate on host")
        .contains("pid " + pair.winner.pid())
        .contains("then rerun.");
    assertThat(json(out + "/metrics.json").get("summary").get("examples").asLong()).isEqualTo(200);
    assertThat(names(out)).contains("metrics.json", "report").doesNotContain(OutputLease.FILE_NAME);
  }

  @Test
  void twoPredictionsIntoOneDirectoryOneIsRefused() throws Exception {
    String out = dir("pred");
    Pair pair = startTogether(CliJobs.score("predict", model(), out));

    assertThat(pair.loserLog())
        .contains("Output directory " + qualified(out) + " is being written by predict on host")
        .contains("pid " + pair.winner.pid())
        .contains("then rerun with --overwrite");
    assertThat(json(out + "/_sparktrain.json").get("rows").asLong()).isEqualTo(200);
    assertThat(names(out)).contains("_SUCCESS").doesNotContain(OutputLease.FILE_NAME);
  }

  /** Two CLI processes with {@code args}, started together; both must end, one with exit 3. */
  private Pair startTogether(List<String> args) throws Exception {
    try (CliProcess a = start("a", args);
        CliProcess b = start("b", args)) {
      return awaitPair(a, b);
    }
  }

  private CliProcess start(String name, List<String> args) {
    return CliProcess.start(tmp.resolve(name + ".log"), QUIET, args);
  }

  /** Waits for both; one must have completed (exit 0) and the other been refused (exit 3). */
  private static Pair awaitPair(CliProcess a, CliProcess b) throws InterruptedException {
    int sa = a.await(RUN_TIMEOUT);
    int sb = b.await(RUN_TIMEOUT);
    assertThat(List.of(sa, sb))
        .as("exit statuses; logs:\n" + a.logTail() + "\n----\n" + b.logTail())
        .containsExactlyInAnyOrder(0, ExitCodes.LOCKED);
    return sa == 0 ? new Pair(a, b) : new Pair(b, a);
  }

  private record Pair(CliProcess winner, CliProcess loser) {
    String loserLog() {
      return loser.logTail();
    }
  }

  /** A model of the network {@link CliJobs#train} trains (untrained: scoring only needs one). */
  private String model() throws IOException {
    JobConfig config = ConfigLoader.load(null, CliJobs.sets(1));
    Path run = tmp.resolve("model-run");
    ModelDirectory.write(
        run.resolve("model").toString(),
        new Configuration(),
        NetworkFactory.create(config.model(), 1),
        new CheckpointMetadata(1, 1, "one-writer-test", null, Map.of(), config.render(), Map.of()),
        Map.of());
    return run.toString();
  }

  private String qualified(String dir) {
    return fs().makeQualified(new org.apache.hadoop.fs.Path(dir)).toString();
  }

  private List<String> names(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs().listStatus(new org.apache.hadoop.fs.Path(dir))) {
      String name = s.getPath().getName();
      if (!name.startsWith(".")) { // the local file system's .crc files
        names.add(name);
      }
    }
    return names;
  }

  private String text(String file) throws IOException {
    try (InputStream in = fs().open(new org.apache.hadoop.fs.Path(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private JsonNode json(String file) throws IOException {
    return JSON.readTree(text(file));
  }
}
