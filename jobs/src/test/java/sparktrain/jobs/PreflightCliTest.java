package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.model.NetworkFactory;
import sparktrain.registry.ModelRegistry;
import sparktrain.train.Dl4jEngines;

/**
 * Bad inputs of every command, as a user gives them: each is exit 2 with a message of a few lines
 * naming the key or file and what was expected, and where the full log is; found on the driver
 * before any Spark application starts (counted by {@link SparkStarts}) and within seconds; nothing
 * is written (no run directory, output, model or checkpoint); no stack trace on the console.
 */
class PreflightCliTest {
  private static final Path MNIST = CliJobs.mnist();
  private static final String BINARY_CONF = Paths.get("..", "conf", "binary-mlp.conf").toString();
  private static final Path BREAST = Paths.get("..", "conf", "data", "breast-cancer.csv");

  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @TempDir Path tmp;

  @BeforeAll
  static void countSparkStarts() {
    SparkStarts.register();
  }

  @AfterAll
  static void stopCounting() {
    SparkStarts.unregister();
  }

  @BeforeEach
  void reset() {
    SparkStarts.reset();
  }

  /** What one command did. */
  private record Result(int code, String stderr, String stdout, double seconds) {}

  private Result run(List<String> args) {
    console.reset();
    long t0 = System.nanoTime();
    int code = SparktrainCli.run(args.toArray(String[]::new));
    return new Result(code, console.stderr(), console.stdout(), (System.nanoTime() - t0) / 1e9);
  }

  /** {@code train --config conf/mnist-mlp.conf} on the MNIST slices, 1 epoch, then {@code more}. */
  private static List<String> train(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--config", CliJobs.MNIST_CONF));
    for (String s : CliJobs.mnistSets()) {
      a.addAll(List.of("--set", s));
    }
    a.addAll(List.of("--set", "training.epochs=1", "--output", out.toString()));
    a.addAll(List.of(more));
    if (!a.contains("--master")) {
      a.addAll(List.of("--master", "local[2]"));
    }
    return a;
  }

  /** The message, exit 2, no Spark, no stack trace, the log path, nothing at {@code unwritten}. */
  private static String rejected(Result r, Path... unwritten) throws Exception {
    assertThat(r.code()).as(r.stderr()).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(SparkStarts.APPLICATIONS.get()).as("Spark applications started").isZero();
    assertThat(SparkStarts.JOBS.get()).as("Spark jobs").isZero();
    assertThat(r.seconds()).as("seconds to the error").isLessThan(15);
    for (Path p : unwritten) {
      assertThat(p).doesNotExist();
    }
    List<String> lines = r.stderr().lines().toList();
    assertThat(lines).as(r.stderr()).hasSizeBetween(2, 8);
    assertThat(lines.get(0)).startsWith("error: ");
    assertThat(lines.get(lines.size() - 1)).startsWith("full log: ");
    assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
    Path log = Paths.get(lines.get(lines.size() - 1).substring("full log: ".length()));
    assertThat(Files.readString(log))
        .contains("stopped by a user error")
        .contains("\tat sparktrain.");
    assertThat(r.stdout()).isEmpty();
    return r.stderr();
  }

  /** A copy of the MNIST training labels with {@code value} at {@code record}. */
  private Path labelsWith(int value, int record) throws Exception {
    byte[] b = Files.readAllBytes(MNIST.resolve("train-labels-idx1-ubyte"));
    b[8 + record] = (byte) value;
    return Files.write(tmp.resolve("labels-" + value), b);
  }

  @Test
  void trainWithTheDl4jEngineOnTheSpark4Build() throws Exception {
    assumeFalse(Dl4jEngines.available(), "the Spark 3.5 build (-Pspark-3.5) has the dl4j engine");
    Path run = tmp.resolve("run");

    String err = rejected(run(train(run, "--set", "training.engine=dl4j")), run);

    assertThat(err.lines().findFirst().orElseThrow())
        .startsWith("error: training.engine = dl4j is not in this build (Scala 2.13")
        .contains("DL4J's Spark module (dl4j-spark3) exists for Scala 2.12 only")
        .contains("training.engine = barrier")
        .contains("./mvnw -Pspark-3.5");
  }

  @Test
  void trainWithIdxLabelsOutsideTheClasses() throws Exception {
    Path labels = labelsWith(12, 5);
    Path run = tmp.resolve("run");

    String err = rejected(run(train(run, "--set", "data.train.labels=" + labels)), run);

    assertThat(err)
        .contains("error: data.train.labels = file:" + labels)
        .contains("1 of the 2500 labels read (records 0..2499) are outside [0, 10)")
        .contains("(data.num-classes = 10): 12 (1 record, first record 5)");
  }

  @Test
  void trainWithNumClassesContradictingABinaryOutput() throws Exception {
    Path run = tmp.resolve("run");
    String err =
        rejected(
            run(
                List.of(
                    "train",
                    "--config",
                    BINARY_CONF,
                    "--set",
                    "data.num-classes=2000000000",
                    "--set",
                    "data.path=" + BREAST.toAbsolutePath(),
                    "--output",
                    run.toString(),
                    "--master",
                    "local[2]")),
            run);
    assertThat(err)
        .contains("data.num-classes (--set data.num-classes=2000000000): expected 2:")
        .contains("model.layers[2].units = 1 is a binary output");
  }

  @Test
  void trainWithModelInputsOfAnotherShape() throws Exception {
    Path run = tmp.resolve("run");
    assertThat(rejected(run(train(run, "--set", "model.input.size=100")), run))
        .contains("error: 2 problems with the input data:")
        .contains("data.train.images = file:")
        .contains("but model.input.size is 100; set model.input.size = 784");

    List<String> lenet =
        train(run, "--set", "model.input.height=32", "--set", "model.input.width=32");
    lenet.set(2, Paths.get("..", "conf", "mnist-lenet.conf").toString());
    assertThat(rejected(run(lenet), run))
        .contains("but model.input is 32 x 32 x 1 (height x width x channels)")
        .contains("set model.input.height = 28, model.input.width = 28");
  }

  @Test
  void trainWithIdxFilesThatAreNotThere() throws Exception {
    Path run = tmp.resolve("run");
    Path dir = Files.createDirectory(tmp.resolve("a-dir"));
    Path empty = Files.createFile(tmp.resolve("empty"));
    assertThat(rejected(run(train(run, "--set", "data.train.images=" + tmp.resolve("nope"))), run))
        .contains("error: data.train.images: file:" + tmp.resolve("nope") + ": file not found");
    assertThat(rejected(run(train(run, "--set", "data.test.images=" + dir)), run))
        .contains("error: data.test.images: file:" + dir + ": is a directory");
    assertThat(rejected(run(train(run, "--set", "data.test.labels=" + empty)), run))
        .contains("error: data.test.labels: file:" + empty + ": empty file (0 bytes)");
  }

  @Test
  void trainWithMasterUrlsAndDeploySettingsSparkCannotUse() throws Exception {
    Path run = tmp.resolve("run");
    assertThat(rejected(run(train(run, "--master", "foo://x")), run))
        .contains("error: --master foo://x: not a master URL Spark can parse; expected local,")
        .contains("spark://HOST:PORT");
    assertThat(rejected(run(train(run, "--master", "local[abc]")), run))
        .contains("error: --master local[abc]: not a local master Spark can parse");
    System.setProperty("spark.submit.deployMode", "foo");
    try {
      assertThat(rejected(run(train(run)), run))
          .contains("error: spark.submit.deployMode = foo: unknown deploy mode; expected client");
    } finally {
      System.clearProperty("spark.submit.deployMode");
    }
  }

  @Test
  void trainIntoAnOutputThatIsNotARunDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
    assertThat(rejected(run(train(file))))
        .contains("error: --output " + file + ": file:" + file + " is a file");
    assertThat(file).hasContent("mine");

    Path dir = Files.createDirectory(tmp.resolve("home"));
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThat(rejected(run(train(dir))))
        .contains("exists and holds no checkpoint to resume from (no config.conf either")
        .contains("--force");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
  }

  @Test
  void trainOnCsvWithBadRowsAndAnotherWidth() throws Exception {
    List<String> lines = Files.readAllLines(BREAST);
    List<String> bad = new ArrayList<>(lines);
    bad.set(3, bad.get(3).replaceFirst(",[01]$", ",5"));
    bad.set(6, "abc" + bad.get(6).substring(bad.get(6).indexOf(',')));
    Path csv = Files.write(tmp.resolve("bad.csv"), bad);
    Path run = tmp.resolve("run");
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--config",
                BINARY_CONF,
                "--set",
                "data.path=" + csv,
                "--output",
                run.toString(),
                "--master",
                "local[2]"));

    assertThat(rejected(run(args), run))
        .contains("error: data.path = " + csv + ": 2 bad of all 569 rows (data.bad-rows = fail;")
        .contains("non-numeric (1 row), first at file:" + csv + " line 7, column 'mean_radius'")
        .contains("label-out-of-range (1 row), first at file:" + csv + " line 4")
        .contains("expected a class index in [0, 2)");

    args.set(4, "data.path=" + BREAST.toAbsolutePath());
    args.addAll(List.of("--set", "model.input.size=20"));
    assertThat(rejected(run(args), run))
        .contains("the data has 30 feature columns")
        .contains("but model.input.size is 20; set model.input.size = 30");
  }

  /** A run directory whose model/ is an untrained network of {@code conf} with {@code sets}. */
  private Path modelOf(String name, String conf, List<String> sets) throws Exception {
    JobConfig config = ConfigLoader.load(conf, sets);
    Path run = tmp.resolve(name);
    ModelDirectory.write(
        run.resolve("model").toString(),
        new Configuration(),
        NetworkFactory.create(config.model(), 1),
        new CheckpointMetadata(1, 1, "preflight-test", null, Map.of(), config.render(), Map.of()),
        Map.of());
    return run;
  }

  private static List<String> scoring(String command, Path model, Path out) {
    List<String> a =
        new ArrayList<>(
            List.of(command, "--model", model.toString(), "--config", CliJobs.MNIST_CONF));
    for (String s : CliJobs.mnistSets()) {
      a.addAll(List.of("--set", s));
    }
    a.addAll(List.of("--output", out.toString(), "--master", "local[2]"));
    return a;
  }

  @Test
  void evaluateAndPredictAModelOfAnotherWidth() throws Exception {
    Path model =
        modelOf(
            "breast",
            BINARY_CONF,
            List.of("data.path=" + BREAST.toAbsolutePath(), "data.normalization=none"));
    Path eval = tmp.resolve("eval");

    String err = rejected(run(scoring("evaluate", model, eval)), eval);

    assertThat(err)
        .contains("error: 2 problems with the input data:")
        .contains(
            "its images are 28 x 28 pixels (784 values, 1 channel), but the input of the model"
                + " (--model "
                + model
                + ") takes 30 values")
        .contains("outside [0, 2) (the model's 2 classes (--model " + model + "))");
    assertThat(err.lines()).hasSize(4);

    Path predictions = tmp.resolve("predictions");
    assertThat(rejected(run(scoring("predict", model, predictions)), predictions))
        .contains("takes 30 values");
  }

  @Test
  void evaluateAndPredictWithModelPathsThatAreNotModels() throws Exception {
    Path eval = tmp.resolve("eval");
    assertThat(rejected(run(scoring("evaluate", MNIST, eval)), eval))
        .contains("error: --model " + MNIST)
        .contains("is neither a model or checkpoint directory (no manifest.json)");
    Path file = MNIST.resolve("t10k-labels-idx1-ubyte");
    assertThat(rejected(run(scoring("predict", file, eval)), eval))
        .contains("is a file; give the directory that holds manifest.json");
    assertThat(rejected(run(scoring("evaluate", tmp.resolve("reg/m@champion"), eval)), eval))
        .contains("No model registry at");
  }

  /** A registry holding one version of the MNIST config's network; champion if {@code promote}. */
  private String registry(boolean promote) throws Exception {
    List<String> sets = new ArrayList<>(CliJobs.mnistSets());
    sets.add("training.epochs=1");
    JobConfig config = ConfigLoader.load(CliJobs.MNIST_CONF, sets);
    String uri = tmp.resolve("registry/mnist").toString();
    ModelRegistry reg = ModelRegistry.open(uri, new Configuration());
    var v =
        reg.register(
            NetworkFactory.create(config.model(), 1),
            new CheckpointMetadata(
                1, 1, "preflight-test", null, Map.of(), config.render(), Map.of()),
            Map.of(),
            null);
    if (promote) {
      reg.promote(v.version(), "test");
    }
    return uri;
  }

  private static List<String> retrain(String registry, Path out, String... more) {
    List<String> a =
        new ArrayList<>(List.of("retrain", "--config", CliJobs.MNIST_CONF, "--registry", registry));
    for (String s : CliJobs.mnistSets()) {
      a.addAll(List.of("--set", s));
    }
    a.addAll(List.of("--set", "training.epochs=1", "--output", out.toString()));
    a.addAll(List.of("--master", "local[2]"));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void retrainWithoutChampionOrWithBadLabels() throws Exception {
    Path out = tmp.resolve("retrain");
    String noChampion = registry(false);
    assertThat(rejected(run(retrain(noChampion, out)), out))
        .contains("has no champion to retrain; make one with registry promote VERSION")
        .contains("v0001");

    ModelRegistry.open(noChampion, new Configuration()).promote("v0001", "test");
    Path labels = labelsWith(10, 0);
    assertThat(rejected(run(retrain(noChampion, out, "--set", "data.train.labels=" + labels)), out))
        .contains("error: data.train.labels = file:" + labels)
        .contains("outside [0, 10)");
    assertThat(ModelRegistry.open(noChampion, new Configuration()).versions())
        .containsExactly("v0001");

    Path used = Files.createDirectory(tmp.resolve("used"));
    Files.writeString(used.resolve("summary.json"), "{}");
    assertThat(rejected(run(retrain(noChampion, used))))
        .contains("retrain output directory file:" + used + " exists and is not empty");
  }

  @Test
  void benchmarkIntoAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("bench.txt"), "mine");
    List<String> args =
        new ArrayList<>(List.of("benchmark", "--quick", "--output", file.toString()));
    args.addAll(List.of("--config", CliJobs.MNIST_CONF));
    for (String s : CliJobs.mnistSets()) {
      args.addAll(List.of("--set", s));
    }
    assertThat(rejected(run(args))).contains("error: --output " + file).contains("is a file");
    assertThat(file).hasContent("mine");
  }
}
