package sparktrain.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.io.Json;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestJobs;
import sparktrain.train.Dl4jEngines;
import sparktrain.train.RunDirectoryException;

/** The benchmark in a tiny mode on the real MNIST slices in {@code local[2]}. */
class BenchmarkTest extends LocalSparkTestBase {
  private static final Path MNIST_MLP_CONF = Paths.get("..", "conf", "mnist-mlp.conf");
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** The competitors of the tiny plan: the dl4j engine's only on the Spark 3.5 build. */
  private static List<Competitor> tinyCompetitors() {
    List<Competitor> c = new ArrayList<>();
    c.add(new SingleProcessDl4j(32, 2));
    c.add(Competitors.shippedDefaults());
    if (Dl4jEngines.available()) {
      c.add(Competitors.dl4jDefaults());
    }
    c.add(new MllibMlpc(8));
    return c;
  }

  private static BenchmarkPlan tinyPlan(Path out, double target) {
    return new BenchmarkPlan(
        "test",
        MNIST_MLP_CONF.toString(),
        TestJobs.mnistSlice(null),
        2,
        target,
        1,
        out,
        tinyCompetitors());
  }

  @Test
  void runsEveryCompetitorAndWritesJsonTableAndChart(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("bench");
    // 2,500 training images: 0.8 is reachable in 2 epochs by a working MLP, 0.97 is not.
    Benchmark.Outcome outcome = Benchmark.run(tinyPlan(out, 0.8), spark);

    JsonNode json = Json.MAPPER.readTree(out.resolve(Benchmark.JSON).toFile());
    assertThat(fieldNames(json)).containsExactly("machine", "baseline", "results");
    assertThat(json.get("baseline").asText()).isEqualTo("dl4j-single-process");
    for (String key : List.of("cores", "memory_bytes", "java", "os", "spark_master", "versions")) {
      assertThat(json.get("machine").has(key)).as("machine." + key).isTrue();
    }
    assertThat(json.get("machine").get("cores").asInt()).isPositive();

    JsonNode results = json.get("results");
    List<String> names = new ArrayList<>();
    results.forEach(r -> names.add(r.get("name").asText()));
    assertThat(names)
        .containsExactlyElementsOf(tinyCompetitors().stream().map(Competitor::name).toList());
    assertThat(names.contains("sparktrain-dl4j")).isEqualTo(Dl4jEngines.available());
    for (JsonNode r : results) {
      String name = r.get("name").asText();
      assertThat(fieldNames(r))
          .as(name)
          .containsExactly(
              "name",
              "epoch_seconds",
              "test_accuracy",
              "seconds_to_target",
              "ratio_to_baseline",
              "breakdown");
      assertThat(r.get("epoch_seconds")).as(name).hasSize(2);
      assertThat(r.get("test_accuracy")).as(name).hasSize(2);
      double elapsed = 0;
      Double firstAtTarget = null;
      for (int e = 0; e < 2; e++) {
        double s = r.get("epoch_seconds").get(e).asDouble();
        double acc = r.get("test_accuracy").get(e).asDouble();
        assertThat(s).as(name + " epoch seconds").isPositive();
        assertThat(acc).as(name + " accuracy").isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        elapsed += s;
        if (firstAtTarget == null && acc >= 0.8) {
          firstAtTarget = elapsed;
        }
      }
      // seconds_to_target is the cumulative epoch time of the first epoch at the target
      if (firstAtTarget == null) {
        assertThat(r.get("seconds_to_target").isNull()).as(name).isTrue();
      } else {
        assertThat(r.get("seconds_to_target").asDouble())
            .as(name)
            .isCloseTo(firstAtTarget, org.assertj.core.data.Offset.offset(1e-3));
      }
      JsonNode b = r.get("breakdown");
      assertThat(b.get("peak_heap_bytes").asLong()).as(name).isPositive();
      assertThat(b.get("steady_epoch_seconds").asDouble())
          .as(name)
          .isEqualTo(r.get("epoch_seconds").get(1).asDouble());
      assertThat(r.get("ratio_to_baseline").asDouble())
          .as(name)
          .isCloseTo(
              b.get("steady_epoch_seconds").asDouble()
                  / results.get(0).get("breakdown").get("steady_epoch_seconds").asDouble(),
              org.assertj.core.data.Offset.offset(1e-3));
    }
    JsonNode baseline = results.get(0);
    assertThat(baseline.get("ratio_to_baseline").asDouble()).isEqualTo(1.0);
    assertThat(baseline.get("seconds_to_target").isNull())
        .as("the baseline reaches 0.8 on the slices")
        .isFalse();
    assertThat(baseline.get("breakdown").get("seconds_to_target_ratio_to_baseline").asDouble())
        .isEqualTo(1.0);

    // sparktrain: what the run wrote, Spark's phases, and DL4J's training stats of the profile pass
    JsonNode spark = results.get(1).get("breakdown");
    assertThat(spark.get("settings").get("workers").asInt()).isEqualTo(2);
    assertThat(spark.get("settings").get("averaging_frequency").asInt()).isEqualTo(20);
    assertThat(spark.get("spark_phases").has("epoch-1-fit")).isTrue();
    assertThat(spark.get("spark_phases").has("epoch-2-eval"))
        .as("one eval phase per epoch")
        .isTrue();
    assertThat(spark.get("spark_phases").get("epoch-2-fit").get("jobs").asInt()).isPositive();
    // the shipped (barrier) engine: each epoch's per-round averaging time, median and p95
    assertThat(spark.get("settings").get("engine").asText()).isEqualTo("barrier");
    assertThat(spark.get("round_averaging_ms_median")).hasSize(2);
    assertThat(spark.get("round_averaging_ms_p95")).hasSize(2);
    for (int e = 0; e < 2; e++) {
      assertThat(spark.get("round_averaging_ms_median").get(e).asDouble()).isPositive();
      assertThat(spark.get("round_averaging_ms_p95").get(e).asDouble())
          .isGreaterThanOrEqualTo(spark.get("round_averaging_ms_median").get(e).asDouble());
      assertThat(spark.get("round_fit_ms_median").get(e).asDouble()).isPositive();
    }
    // per epoch, the split of its seconds: parts that sum to the epoch
    assertThat(spark.get("epoch_split")).hasSize(2);
    for (int e = 0; e < 2; e++) {
      JsonNode split = spark.get("epoch_split").get(e);
      double sum = 0;
      for (String part :
          List.of("fitting", "averaging", "stage", "evaluation", "checkpoint", "other")) {
        assertThat(split.has(part)).as(part).isTrue();
        sum += split.get(part).asDouble();
      }
      assertThat(sum).isCloseTo(split.get("seconds").asDouble(), within(1e-3));
      assertThat(split.get("seconds").asDouble())
          .isCloseTo(results.get(1).get("epoch_seconds").get(e).asDouble(), within(1e-3));
      assertThat(split.get("fitting").asDouble()).isPositive();
      assertThat(split.get("evaluation").asDouble())
          .isCloseTo(spark.get("evaluation_seconds").get(e).asDouble(), within(1e-3));
    }
    assertThat(spark.get("dl4j_training_stats").get("note").asText()).contains("barrier");
    if (Dl4jEngines.available()) {
      // the dl4j engine: DL4J's own training stats from the profile pass
      JsonNode dl4j = results.get(2).get("breakdown");
      assertThat(dl4j.get("settings").get("engine").asText()).isEqualTo("dl4j");
      JsonNode stats = dl4j.get("dl4j_training_stats").get("epochs").get(0).get("stats_ms");
      assertThat(stats.get("ParameterAveragingMasterFitTimesMs").get("count").asInt()).isPositive();
      assertThat(stats.get("ParameterAveragingWorkerFitTimesMs").get("count").asInt()).isPositive();
    }
    assertThat(out.resolve("work/sparktrain-local/run/summary.json")).exists();

    // MLPC ran its L-BFGS rounds, warm-started
    assertThat(results.get(results.size() - 1).get("breakdown").get("lbfgs_iterations")).hasSize(2);

    byte[] png = Files.readAllBytes(out.resolve(Benchmark.PNG));
    assertThat(Arrays.copyOf(png, 8)).isEqualTo(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(out.resolve(Benchmark.PNG).toFile());
    assertThat(image.getWidth()).isEqualTo(1000);
    assertThat(image.getHeight()).isEqualTo(600);

    String table = Files.readString(out.resolve(Benchmark.TABLE));
    assertThat(table).isEqualTo(outcome.table());
    assertThat(table.lines().filter(l -> l.startsWith("| ")).count())
        .isEqualTo(2 + results.size()); // header, rule, rows
    assertThat(table).contains("dl4j-single-process", "sparktrain-local", "mllib-mlpc", "1.00x");
    assertThat(table).contains("per-epoch split", "sparktrain-local epoch 2 ");
  }

  @Test
  void refusesAnOutputDirectoryWithAPreviousBenchmarkUntilCleared(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("bench");
    Files.createDirectories(out.resolve(Benchmark.WORK).resolve("old"));
    Files.writeString(out.resolve(Benchmark.JSON), "{}");
    Files.writeString(out.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> Benchmark.run(tinyPlan(out, 0.97), spark))
        .isInstanceOf(RunDirectoryException.class)
        .hasMessageContaining(out.toString())
        .hasMessageContaining("--force");

    Benchmark.clearPrevious(out);
    assertThat(out.resolve(Benchmark.JSON)).doesNotExist();
    assertThat(out.resolve(Benchmark.WORK)).doesNotExist();
    assertThat(out.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void onlyKeepsTheBaselineAndNamesUnknownCompetitors(@TempDir Path tmp) {
    BenchmarkPlan full =
        BenchmarkMode.FULL.plan(MNIST_MLP_CONF.toString(), List.of(), 0, 0.97, tmp);
    assertThat(full.epochs()).isEqualTo(5);
    assertThat(full.competitors().get(0).name()).isEqualTo(SingleProcessDl4j.NAME);

    BenchmarkPlan one = full.only(List.of("mllib-mlpc"));
    assertThat(one.competitors().stream().map(Competitor::name))
        .containsExactly(SingleProcessDl4j.NAME, MllibMlpc.NAME);
    // in the order named, after the baseline (naming the baseline again changes nothing)
    assertThat(
            full
                .only(List.of("sparktrain-memory", SingleProcessDl4j.NAME, "sparktrain-local"))
                .competitors()
                .stream()
                .map(Competitor::name))
        .containsExactly(SingleProcessDl4j.NAME, "sparktrain-memory", "sparktrain-local");
    assertThatThrownBy(() -> full.only(List.of("sparktrain-avg05")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sparktrain-avg05")
        .hasMessageContaining("sparktrain-avg50");

    BenchmarkPlan quick =
        BenchmarkMode.QUICK.plan(MNIST_MLP_CONF.toString(), List.of(), 0, 0.97, tmp);
    assertThat(quick.epochs()).isEqualTo(2);
    // the dl4j engine's variants only where this build has the engine
    assertThat(quick.competitors().stream().map(Competitor::name).toList())
        .containsExactlyElementsOf(
            Dl4jEngines.available()
                ? List.of(
                    SingleProcessDl4j.NAME, "sparktrain-local", "sparktrain-dl4j", MllibMlpc.NAME)
                : List.of(SingleProcessDl4j.NAME, "sparktrain-local", MllibMlpc.NAME));
    assertThat(
            full.competitors().stream()
                .map(Competitor::name)
                .anyMatch(n -> n.startsWith("sparktrain-dl4j")))
        .isEqualTo(Dl4jEngines.available());
    assertThat(quick.config(List.of()).data().trainLimit()).isEqualTo(10_000);
    assertThat(quick.config(List.of()).training().epochs()).isEqualTo(2);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
