package sparktrain.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Command lines for {@code sparktrain train} on the real MNIST slices of the common module. */
final class CliJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The shipped {@code conf/mnist-mlp.conf}. */
  static final String MNIST_CONF = Paths.get("..", "conf", "mnist-mlp.conf").toString();

  private CliJobs() {}

  /** The MNIST slices (2,500 train, 1,000 test images) in the common module's test resources. */
  static Path mnist() {
    return Paths.get("..", "common", "src", "test", "resources", "mnist")
        .toAbsolutePath()
        .normalize();
  }

  /** {@code --set} values pointing the data at the MNIST slices: train and test images, labels. */
  static List<String> mnistSets() {
    Path m = mnist();
    return List.of(
        "data.train.images=" + m.resolve("train-images-idx3-ubyte"),
        "data.train.labels=" + m.resolve("train-labels-idx1-ubyte"),
        "data.test.images=" + m.resolve("t10k-images-idx3-ubyte"),
        "data.test.labels=" + m.resolve("t10k-labels-idx1-ubyte"));
  }

  /**
   * {@code train --master local[2] --output OUT --set ...} for a quick run (640 training, 200 test
   * images, a 784-32-10 network, 2 workers) of {@code epochs}, followed by {@code extra} sets.
   */
  static List<String> train(Path out, int epochs, String... extra) {
    return train(out.toString(), epochs, extra);
  }

  /** {@link #train(Path, int, String...)} into {@code out}, a path or URI on any Hadoop FS. */
  static List<String> train(String out, int epochs, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--master", "local[2]", "--output", out));
    addSets(args, epochs, extra);
    return args;
  }

  /**
   * {@code COMMAND --model MODEL --master local[2] --output OUT --set ...} ({@code evaluate} or
   * {@code predict}) with the data and network of {@link #train}.
   */
  static List<String> score(String command, String model, String out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(command, "--model", model, "--master", "local[2]", "--output", out));
    addSets(args, 1, extra);
    return args;
  }

  private static void addSets(List<String> args, int epochs, String... extra) {
    for (String s : sets(epochs, extra)) {
      args.add("--set");
      args.add(s);
    }
  }

  /**
   * The {@code --set} values of {@link #train}: data, network, workers, epochs, then {@code extra}.
   */
  static List<String> sets(int epochs, String... extra) {
    Path m = mnist();
    List<String> sets = new ArrayList<>();
    sets.add("workload=mnist-cli-test");
    sets.add("data.train.images=\"" + m.resolve("train-images-idx3-ubyte") + "\"");
    sets.add("data.train.labels=\"" + m.resolve("train-labels-idx1-ubyte") + "\"");
    sets.add("data.test.images=\"" + m.resolve("t10k-images-idx3-ubyte") + "\"");
    sets.add("data.test.labels=\"" + m.resolve("t10k-labels-idx1-ubyte") + "\"");
    sets.add("data.train-limit=640");
    sets.add("data.test-limit=200");
    sets.add(
        "model.layers=[{type=dense,units=32,activation=relu},"
            + "{type=output,units=10,activation=softmax,loss=sparse-mcxent}]");
    sets.add("training.workers=2");
    sets.add("training.epochs=" + epochs);
    sets.addAll(List.of(extra));
    return sets;
  }

  /** The run's {@code summary.json}. */
  static JsonNode summary(Path out) throws IOException {
    return JSON.readTree(out.resolve("summary.json").toFile());
  }

  /** Epoch numbers of the rows of the run's {@code metrics.jsonl}, in file order. */
  static List<Integer> metricEpochs(Path out) throws IOException {
    List<Integer> epochs = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      epochs.add(JSON.readTree(line).get("epoch").asInt());
    }
    return epochs;
  }

  /**
   * Waits until the lease a dead driver left in the run directory {@code out} has expired (at once
   * when there is none), so that the next command takes it over instead of exiting 3.
   */
  static void awaitLeaseExpiry(Path out) throws IOException, InterruptedException {
    Path lease = out.resolve(sparktrain.lease.OutputLease.FILE_NAME);
    if (Files.exists(lease)) {
      java.time.Instant expiry =
          java.time.Instant.parse(JSON.readTree(lease.toFile()).get("expires_at").asText());
      Thread.sleep(
          Math.max(
              0, java.time.Duration.between(java.time.Instant.now(), expiry).toMillis() + 200));
    }
  }

  /** The checkpoint name in {@code checkpoints/LATEST}, or "" when there is none yet. */
  static String latest(Path out) {
    try {
      return Files.readString(out.resolve("checkpoints/LATEST")).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
