package sparktrain.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.config.Normalization;
import sparktrain.data.Normalizer;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.lease.Lease;
import sparktrain.provenance.RetrainDecision;
import sparktrain.registry.HistoryEntry;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegisteredVersion;
import sparktrain.registry.RegistryLockedException;
import sparktrain.registry.RetrainWatermark;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.MiniHdfs;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Scheduled retraining end to end on a real (mini) HDFS holding the registry and the data, with the
 * real MNIST slices. Each test has a registry of its own, seeded with the champion it needs by
 * {@link #registerChampion()}: the first training runs once per class (on first use) and each
 * registry registers its model afresh, so every test runs alone and in any order.
 */
class RetrainJobHdfsTest extends LocalSparkTestBase {
  /** Records the first training uses; retraining reads the rest ([1000, 2500)) as new data. */
  private static final int FIRST = 1000;

  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  @TempDir static java.nio.file.Path base;

  private static FileSystem fs;
  private static Configuration conf;
  private static String data;
  private static FirstTraining seed;

  /** This test's registry: empty until the test registers a champion. */
  private String registryUri;

  /** This test's local output directories, under {@link #base}. */
  private java.nio.file.Path outs;

  /** The first training's config and run, shared by the tests that need a champion. */
  private record FirstTraining(JobConfig config, TrainSummary run) {}

  @BeforeAll
  static void putData() throws Exception {
    fs = HDFS.fs();
    conf = HDFS.conf();
    data = HDFS.uri("/data");
    java.nio.file.Path mnist = LocalSpark.resource("mnist");
    for (String name :
        List.of(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte")) {
      HDFS.put(data + "/" + name, Files.readAllBytes(mnist.resolve(name)));
    }
    HDFS.put(
        data + "/train-labels-shuffled",
        shuffledLabels(Files.readAllBytes(mnist.resolve("train-labels-idx1-ubyte")), 7));
  }

  @BeforeEach
  void ownRegistry(TestInfo test) {
    String name = test.getTestMethod().orElseThrow().getName();
    registryUri = HDFS.uri("/models/" + name + "/mnist");
    outs = base.resolve(name);
  }

  /** The first training ({@value #FIRST} records, one epoch), run on first use. */
  private static synchronized FirstTraining firstTraining() {
    if (seed == null) {
      JobConfig config = config(base.resolve("first"), "data.train-limit=" + FIRST);
      seed = new FirstTraining(config, TrainJob.run(config, spark, TrainJob.Options.fresh()));
    }
    return seed;
  }

  /** Registers the first training's model in this test's registry: v0001, the champion. */
  private RegisteredVersion registerChampion() throws IOException {
    FirstTraining f = firstTraining();
    return TrainRegistration.register(registryUri, conf, f.config(), f.run());
  }

  /** A retrain on the records after the first training's, with their labels shuffled. */
  private static JobConfig shuffledRetrain(java.nio.file.Path out) {
    return config(
        out, "data.train-offset=" + FIRST, "data.train.labels=" + data + "/train-labels-shuffled");
  }

  /** A retrain on exactly the records the first training read: already consumed. */
  private static JobConfig championsData(java.nio.file.Path out) {
    return config(out, "data.train-limit=" + FIRST);
  }

  private static RetrainJob.Options defaults() {
    return RetrainJob.Options.defaults();
  }

  /** An IDX labels file with the labels permuted (seeded): images no longer match labels. */
  static byte[] shuffledLabels(byte[] idx, long seed) {
    List<Byte> labels = new ArrayList<>();
    for (int i = 8; i < idx.length; i++) {
      labels.add(idx[i]);
    }
    Collections.shuffle(labels, new Random(seed));
    byte[] out = idx.clone();
    for (int i = 0; i < labels.size(); i++) {
      out[8 + i] = labels.get(i);
    }
    return out;
  }

  /** A small MNIST job on the HDFS data: 1 epoch, 500 test images, two workers. */
  private static JobConfig config(java.nio.file.Path out, String... extra) {
    List<String> sets = new ArrayList<>();
    sets.add("workload=mnist-retrain-test");
    sets.add("data.train.images=" + data + "/train-images-idx3-ubyte");
    sets.add("data.train.labels=" + data + "/train-labels-idx1-ubyte");
    sets.add("data.test.images=" + data + "/t10k-images-idx3-ubyte");
    sets.add("data.test.labels=" + data + "/t10k-labels-idx1-ubyte");
    sets.add("data.test-limit=500");
    sets.add("training.workers=2");
    sets.add("training.epochs=1");
    sets.add("training.batch-size-per-worker=16");
    sets.add("training.averaging-frequency=20");
    sets.add("output.dir=\"" + out + "\"");
    sets.addAll(List.of(extra));
    return ConfigLoader.load(null, sets);
  }

  private ModelRegistry registry() throws IOException {
    return ModelRegistry.open(registryUri, conf);
  }

  private static JsonNode summaryJson(java.nio.file.Path out) throws IOException {
    return Json.MAPPER.readTree(out.resolve("summary.json").toFile());
  }

  /** SHA-256 of every file under {@code dir}, by relative path. */
  private static Map<String, String> hashes(String dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path root = fs.makeQualified(new Path(dir));
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      out.put(p.toString().substring(root.toString().length()), HadoopFiles.sha256(fs, p));
    }
    return out;
  }

  /** The registry's control files and the champion's files, hashed. */
  private Map<String, String> championState() throws IOException {
    String champion = registry().champion().orElseThrow();
    Map<String, String> state = new TreeMap<>(hashes(registryUri + "/versions/" + champion));
    state.put("CHAMPION", HadoopFiles.sha256(fs, new Path(registryUri, "CHAMPION")));
    state.put("HISTORY", HadoopFiles.sha256(fs, new Path(registryUri, "HISTORY")));
    return state;
  }

  @Test
  void trainAndRegisterMakesTheFirstVersionChampionWithItsExtraFiles() throws Exception {
    TrainSummary run = firstTraining().run();
    // The model carries its fitted normalizer (image-scale for idx); registering copies it.
    byte[] normalizer = ModelDirectory.read(run.modelPath(), conf).extraFile("normalizer.json");
    assertThat(Normalizer.fromJson(normalizer).kind()).isEqualTo(Normalization.IMAGE_SCALE);

    RegisteredVersion v = registerChampion();

    assertThat(v.version()).isEqualTo("v0001");
    assertThat(v.champion()).isTrue();
    assertThat(registry().champion()).contains("v0001");
    LoadedCheckpoint champion = registry().loadChampion().orElseThrow();
    assertThat(champion.extraFile("normalizer.json")).isEqualTo(normalizer);
    assertThat(champion.epoch()).isEqualTo(1);
    RetrainWatermark w = registry().lastRetrainWatermark().orElseThrow();
    assertThat(w.inputs())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.get("records")).isEqualTo(FIRST);
              assertThat(i.get("promoted")).isEqualTo(true);
            });
    assertThat(registry().lock().current()).as("lock released").isEmpty();
  }

  @Test
  void aCrashBetweenRegistrationAndPromotionLeavesExactlyOneValidChampion() throws Exception {
    registerChampion();
    java.nio.file.Path out = outs.resolve("retrain-crash");
    Map<String, String> before = championState();
    // The version is written, then the process "dies" before the promotion.
    RetrainWatermark watermark = registry().lastRetrainWatermark().orElseThrow();

    assertThatThrownBy(
            () ->
                RetrainJob.run(
                    config(out, "data.train-offset=" + FIRST),
                    spark,
                    registryUri,
                    RetrainJob.Options.defaults(),
                    version -> {
                      throw new IOException("simulated crash after registering " + version);
                    }))
        .hasMessageContaining("simulated crash after registering v0002");

    assertThat(registry().versions()).containsExactly("v0001", "v0002");
    assertThat(registry().champion()).contains("v0001");
    assertThat(championState()).isEqualTo(before);
    assertThat(registry().loadChampion()).isPresent(); // verifies every file's hash
    assertThat(registry().list()).filteredOn(v -> v.champion()).hasSize(1);
    assertThat(registry().lastRetrainWatermark().orElseThrow().inputs())
        .as("the input is not consumed: the next retrain trains on it again")
        .isEqualTo(watermark.inputs());
    assertThat(registry().lock().current()).as("lock released").isEmpty();
    JsonNode json = summaryJson(out);
    assertThat(json.get("decision").asText()).isEqualTo("failed");
    assertThat(json.get("champion_after").asText()).isEqualTo("v0001");
    assertThat(json.get("error").asText()).contains("simulated crash");
  }

  @Test
  void retrainOnTheRestOfTheDataWithReplayIsPromoted() throws Exception {
    registerChampion();
    java.nio.file.Path out = outs.resolve("retrain-more");
    LoadedCheckpoint before = registry().loadChampion().orElseThrow();

    RetrainSummary s =
        RetrainJob.run(
            config(out, "data.train-offset=" + FIRST, "retrain.replay-fraction=0.5"),
            spark,
            registryUri,
            RetrainJob.Options.defaults());

    assertThat(s.decision()).as(s.reason()).isEqualTo(RetrainDecision.PROMOTED);
    assertThat(s.championVersion()).isEqualTo("v0001");
    assertThat(s.challengerVersion()).isEqualTo("v0002");
    assertThat(s.championAfter()).isEqualTo("v0002");
    // new data plus a replay sample of about half the first training's 1,000 records
    assertThat(s.trainExamples()).isBetween(2500L - FIRST + 400, 2500L - FIRST + 600);
    assertThat(s.replaySources())
        .singleElement()
        .satisfies(i -> assertThat(i.get("version")).isEqualTo("v0001"));
    assertThat(s.testExamples()).isEqualTo(500);
    assertThat(s.challengerMetrics().get("accuracy"))
        .isGreaterThan(s.championMetrics().get("accuracy"));
    assertThat(registry().champion()).contains("v0002");

    LoadedCheckpoint after = registry().loadChampion().orElseThrow();
    assertThat(after.parent()).isEqualTo("v0001");
    assertThat(after.epoch()).as("epoch counter continues").isEqualTo(before.epoch() + 1);
    assertThat(after.iteration()).isGreaterThan(before.iteration());
    assertThat(after.extraFile("normalizer.json"))
        .as("retrain.normalizer = keep: the champion's")
        .isEqualTo(before.extraFile("normalizer.json"));
    assertThat(after.metrics()).isEqualTo(s.challengerMetrics());
    assertThat(registry().list().get(1).decisionValue()).isEqualTo("promoted");
    assertThat(registry().history()).last().extracting(HistoryEntry::version).isEqualTo("v0002");

    JsonNode json = summaryJson(out);
    assertThat(json.get("decision").asText()).isEqualTo("promoted");
    assertThat(json.get("champion_metrics").get("accuracy").asDouble())
        .isEqualTo(s.championMetrics().get("accuracy"));
    assertThat(json.get("challenger_version").asText()).isEqualTo("v0002");
    assertThat(registry().lastRetrainWatermark().orElseThrow().inputs()).hasSize(2);
    assertThat(registry().lock().current()).isEmpty();
  }

  @Test
  void retrainOnLabelShuffledDataIsKeptOutAndTheChampionIsUntouched() throws Exception {
    registerChampion();
    java.nio.file.Path out = outs.resolve("retrain-shuffled");
    Map<String, String> before = championState();

    RetrainSummary s = RetrainJob.run(shuffledRetrain(out), spark, registryUri, defaults());

    assertThat(s.decision()).as(s.reason()).isEqualTo(RetrainDecision.KEPT_CHAMPION);
    assertThat(s.reason()).contains("not better");
    assertThat(s.challengerVersion()).isEqualTo("v0002");
    assertThat(s.championAfter()).isEqualTo("v0001");
    assertThat(s.challengerMetrics().get("accuracy"))
        .isLessThan(s.championMetrics().get("accuracy"));
    assertThat(registry().champion()).contains("v0001");
    assertThat(championState()).as("champion files and pointer, by hash").isEqualTo(before);
    assertThat(registry().list().get(1).decisionValue()).isEqualTo("kept-champion");
    assertThat(summaryJson(out).get("decision").asText()).isEqualTo("kept-champion");
    // the decision's report: both models' metrics side by side, a chart that exists, a link to
    // the challenger's training report that resolves
    String html = java.nio.file.Files.readString(out.resolve("report/index.html"));
    assertThat(html)
        .contains("Retrain: kept-champion")
        .contains("Champion and challenger on the same held-out data")
        .contains(String.format(java.util.Locale.ROOT, "%.4f", s.championMetrics().get("accuracy")))
        .contains(
            String.format(java.util.Locale.ROOT, "%.4f", s.challengerMetrics().get("accuracy")))
        .contains("<img src=\"comparison.png\"");
    assertThat(out.resolve("report/comparison.png")).isNotEmptyFile();
    assertThat(html).contains("href=\"../train/report/index.html\"");
    assertThat(out.resolve("train/report/index.html")).exists();
    List<Map<String, Object>> inputs = registry().lastRetrainWatermark().orElseThrow().inputs();
    assertThat(inputs).hasSize(2);
    assertThat(inputs.get(1).get("promoted")).as("not replayed later").isEqualTo(false);

    // The same data again: consumed although kept out, so nothing is trained or written.
    Map<String, String> registryBefore = hashes(registryUri);
    RetrainSummary again =
        RetrainJob.run(shuffledRetrain(outs.resolve("again")), spark, registryUri, defaults());
    assertThat(again.decision()).isEqualTo(RetrainDecision.NO_NEW_DATA);
    assertThat(hashes(registryUri)).as("registry unchanged").isEqualTo(registryBefore);
  }

  @Test
  void theDataTheChampionWasTrainedOnIsACleanNoOp() throws Exception {
    registerChampion();
    java.nio.file.Path out = outs.resolve("retrain-again");
    Map<String, String> registryBefore = hashes(registryUri);

    RetrainSummary s = RetrainJob.run(championsData(out), spark, registryUri, defaults());

    assertThat(s.decision()).isEqualTo(RetrainDecision.NO_NEW_DATA);
    assertThat(s.challengerVersion()).isNull();
    assertThat(s.trainExamples()).isZero();
    assertThat(summaryJson(out).get("decision").asText()).isEqualTo("no-new-data");
    assertThat(out.resolve("train")).doesNotExist();
    assertThat(hashes(registryUri)).as("registry unchanged").isEqualTo(registryBefore);
  }

  @Test
  void aSecondRetrainWhileOneHoldsTheLockIsRefusedAndTouchesNothing() throws Exception {
    registerChampion();
    java.nio.file.Path out = outs.resolve("retrain-locked");
    Map<String, String> registryBefore;
    try (Lease.Handle held =
        registry().lock().tryAcquire(Duration.ofMinutes(5), "retrain in another test")) {
      registryBefore = hashes(registryUri);

      assertThatThrownBy(
              () ->
                  RetrainJob.run(
                      config(out, "data.train-offset=2000"),
                      spark,
                      registryUri,
                      RetrainJob.Options.defaults()))
          .isInstanceOf(RegistryLockedException.class)
          .hasMessageContaining("retrain in another test")
          .hasMessageContaining("--break-lock");

      assertThat(out).doesNotExist();
      assertThat(hashes(registryUri)).isEqualTo(registryBefore);
      held.verifyHeld();
    }

    // The holder died without releasing: --break-lock takes over (here with nothing new to do).
    Lease.Handle dead =
        registry().lock().tryAcquire(Duration.ofMinutes(5), "a retrain that crashed");
    RetrainSummary s =
        RetrainJob.run(championsData(out), spark, registryUri, new RetrainJob.Options(true));
    assertThat(s.decision()).isEqualTo(RetrainDecision.NO_NEW_DATA);
    assertThatThrownBy(dead::verifyHeld).isInstanceOf(RegistryLockedException.class);
    assertThat(registry().lock().current()).isEmpty();
  }

  @Test
  void replaySamplesOnlyPromotedInputsThatAreUnchanged() throws Exception {
    Map<String, Object> first =
        TrainingInputs.idx(
            data + "/train-images-idx3-ubyte", data + "/train-labels-idx1-ubyte", 0, FIRST, conf);
    Map<String, Object> changed = new java.util.LinkedHashMap<>(first);
    changed.put(TrainingInputs.KEY, "idx images=sha256:0 labels=sha256:0 records=[0,1000)");
    Map<String, Object> gone =
        TrainingInputs.idx(
            data + "/train-images-idx3-ubyte", data + "/train-labels-shuffled", 0, 500, conf);
    gone.put("labels", Map.of("path", data + "/deleted-labels"));
    RetrainWatermark w =
        TrainingInputs.consume(
            java.util.Optional.of(
                TrainingInputs.consume(
                    java.util.Optional.of(
                        TrainingInputs.consume(java.util.Optional.empty(), first, "v0001", true)),
                    changed,
                    "v0002",
                    true)),
            gone,
            "v0003",
            true);
    // the pool holds only promoted inputs
    RetrainWatermark withKept =
        TrainingInputs.consume(
            java.util.Optional.of(w),
            TrainingInputs.idx(
                data + "/train-images-idx3-ubyte", data + "/train-labels-idx1-ubyte", 0, 0, conf),
            "v0004",
            false);
    assertThat(TrainingInputs.promoted(java.util.Optional.of(withKept))).hasSize(3);

    ReplaySample.Sample sample =
        ReplaySample.draw(
            sc,
            TrainingInputs.promoted(java.util.Optional.of(withKept)),
            0.3,
            config(outs.resolve("replay"), "training.seed=42"),
            2,
            java.util.Optional.empty());

    assertThat(sample.sources())
        .singleElement()
        .satisfies(i -> assertThat(TrainingInputs.key(i)).isEqualTo(TrainingInputs.key(first)));
    assertThat(sample.examples().count()).isBetween(220L, 380L);
    assertThat(
            ReplaySample.draw(
                sc,
                TrainingInputs.promoted(java.util.Optional.of(withKept)),
                0,
                config(outs.resolve("replay"), "training.seed=42"),
                2,
                java.util.Optional.empty()))
        .as("fraction 0: no replay")
        .isNull();
  }
}
