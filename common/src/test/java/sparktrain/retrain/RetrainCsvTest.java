package sparktrain.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.data.Normalizer;
import sparktrain.io.Json;
import sparktrain.provenance.RetrainDecision;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegisteredVersion;
import sparktrain.testing.LocalSpark;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Retraining a CSV workload ({@code conf/binary-mlp.conf} on breast-cancer.csv, standardized
 * features): a champion registered from the first rows is continued on later rows, evaluated
 * against the same held-out test file, and the challenger keeps or refits the normalizer as {@code
 * retrain.normalizer} says.
 */
class RetrainCsvTest {
  private static SparkSession spark;
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start(2);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** The breast-cancer rows {@code [from, to)} (1-based data lines) under the header. */
  private Path rows(String name, int from, int to) {
    List<String> all = lines(breastCancer());
    List<String> part = new ArrayList<>();
    part.add(all.get(0));
    part.addAll(all.subList(from, to));
    return write(tmp, name, part);
  }

  private static JobConfig config(Path train, Path test, Path out, String... extra) {
    List<String> sets = new ArrayList<>();
    sets.add("data.path=\"\"");
    sets.add("data.train.path=\"" + train + "\"");
    sets.add("data.test.path=\"" + test + "\"");
    sets.add("output.dir=\"" + out + "\"");
    sets.add("training.workers=2");
    sets.add("training.epochs=2");
    sets.add("training.evaluate-every-epoch=false");
    sets.addAll(List.of(extra));
    return ConfigLoader.load(Path.of("..", "conf", "binary-mlp.conf").toString(), sets);
  }

  private static byte[] normalizerJson(ModelRegistry registry, String version) throws Exception {
    return registry.load(version).extraFile(Normalizer.FILE_NAME);
  }

  @Test
  void continuesTheChampionOnNewRowsKeepingOrRefittingItsNormalizer() throws Exception {
    Path test = rows("test.csv", 451, 570);
    Path first = rows("first.csv", 1, 201);
    Path second = rows("second.csv", 201, 326);
    Path third = rows("third.csv", 326, 451);
    String registryUri = tmp.resolve("registry/breast-cancer").toString();

    JobConfig initial = config(first, test, tmp.resolve("initial"));
    TrainSummary trained = TrainJob.run(initial, spark, TrainJob.Options.fresh());
    RegisteredVersion v1 = TrainRegistration.register(registryUri, CONF, initial, trained);
    ModelRegistry registry = ModelRegistry.open(registryUri, CONF);
    assertThat(v1.version()).isEqualTo("v0001");
    assertThat(registry.champion()).contains("v0001");
    LoadedCheckpoint champion = registry.load("v0001");
    assertThat(champion.extraFile(Normalizer.FILE_NAME))
        .as("registering copies the model's normalizer")
        .isEqualTo(ModelDirectory.read(trained.modelPath(), CONF).extraFile(Normalizer.FILE_NAME));
    assertThat(Normalizer.load(champion).count()).isEqualTo(200);

    // keep (the default): the challenger goes on with the champion's normalizer.json.
    RetrainSummary kept =
        RetrainJob.run(
            config(second, test, tmp.resolve("keep")),
            spark,
            registryUri,
            RetrainJob.Options.defaults());

    assertThat(kept.decision()).isIn(RetrainDecision.PROMOTED, RetrainDecision.KEPT_CHAMPION);
    assertThat(kept.normalizer()).isEqualTo("keep");
    assertThat(kept.challengerVersion()).isEqualTo("v0002");
    assertThat(kept.trainExamples()).isEqualTo(125);
    assertThat(kept.testExamples()).isEqualTo(119);
    assertThat(kept.championMetrics().get("accuracy"))
        .as("the champion on the same test file with its own normalizer, as when it was trained")
        .isEqualTo(trained.testMetrics().get("accuracy"));
    assertThat(normalizerJson(registry, "v0002")).isEqualTo(normalizerJson(registry, "v0001"));

    // refit: a normalizer fitted on the new rows, saved with the challenger.
    String championBefore = registry.champion().orElseThrow();
    RetrainSummary refit =
        RetrainJob.run(
            config(third, test, tmp.resolve("refit"), "retrain.normalizer=refit"),
            spark,
            registryUri,
            RetrainJob.Options.defaults());

    assertThat(refit.decision()).isIn(RetrainDecision.PROMOTED, RetrainDecision.KEPT_CHAMPION);
    assertThat(refit.normalizer()).isEqualTo("refit");
    assertThat(refit.championVersion()).isEqualTo(championBefore);
    assertThat(refit.challengerVersion()).isEqualTo("v0003");
    Normalizer refitted = Normalizer.fromJson(normalizerJson(registry, "v0003"));
    assertThat(normalizerJson(registry, "v0003"))
        .isNotEqualTo(normalizerJson(registry, championBefore));
    assertThat(refitted.count()).as("fitted on the 125 new rows").isEqualTo(125);
    assertThat(refitted).isNotEqualTo(Normalizer.fromJson(normalizerJson(registry, "v0001")));
    // Each model scored through its own normalizer on the same rows: the challenger's figures
    // are those its training run measured on the test file with the refitted normalizer.
    double challengerRunAccuracy =
        Json.MAPPER
            .readTree(tmp.resolve("refit/train/summary.json").toFile())
            .path("test_metrics")
            .path("accuracy")
            .asDouble();
    assertThat(refit.challengerMetrics().get("accuracy")).isEqualTo(challengerRunAccuracy);
    assertThat(refit.testExamples()).isEqualTo(kept.testExamples());
    assertThat(refit.championMetrics().get("accuracy"))
        .isEqualTo(registry.load(championBefore).metrics().get("accuracy"));

    // The third file again: already consumed, nothing trained.
    RetrainSummary again =
        RetrainJob.run(
            config(third, test, tmp.resolve("again")),
            spark,
            registryUri,
            RetrainJob.Options.defaults());
    assertThat(again.decision()).isEqualTo(RetrainDecision.NO_NEW_DATA);
    assertThat(registry.versions()).containsExactly("v0001", "v0002", "v0003");
  }
}
