package sparktrain.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
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
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Retraining a CSV workload ({@code conf/binary-mlp.conf} on breast-cancer.csv, standardized
 * features): a champion registered from the first rows is continued on later rows, evaluated
 * against the same held-out test file, and the challenger keeps or refits the normalizer as {@code
 * retrain.normalizer} says. The data decides each verdict: rows with the label inverted ({@code
 * benign} 0 and 1 swapped) make a model that is wrong on most of the test rows, so a challenger
 * trained on true rows beats a champion trained on inverted ones, and one trained on inverted rows
 * loses to a champion trained on true ones.
 */
class RetrainCsvTest extends LocalSparkTestBase {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  /** The breast-cancer rows {@code [from, to)} (1-based data lines) under the header. */
  private Path rows(String name, int from, int to) {
    return write(tmp, name, slice(from, to, false));
  }

  /** The same rows with the label inverted: every benign row says malignant and the reverse. */
  private Path invertedRows(String name, int from, int to) {
    return write(tmp, name, slice(from, to, true));
  }

  private static List<String> slice(int from, int to, boolean invert) {
    List<String> all = lines(breastCancer());
    List<String> part = new ArrayList<>();
    part.add(all.get(0));
    for (String row : all.subList(from, to)) {
      int cut = row.lastIndexOf(',') + 1;
      String label = row.substring(cut);
      part.add(invert ? row.substring(0, cut) + (label.equals("0") ? "1" : "0") : row);
    }
    return part;
  }

  private Path testRows() {
    return rows("test.csv", 451, 570);
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

  /** Trains on {@code train} (rows 1 to 200) and registers the model as v0001, the champion. */
  private TrainSummary registerChampion(Path train, String registryUri, String... extra)
      throws Exception {
    JobConfig initial = config(train, testRows(), tmp.resolve("initial"), extra);
    TrainSummary trained = TrainJob.run(initial, spark, TrainJob.Options.fresh());
    RegisteredVersion v1 = TrainRegistration.register(registryUri, CONF, initial, trained);
    assertThat(v1.version()).isEqualTo("v0001");
    assertThat(ModelRegistry.open(registryUri, CONF).champion()).contains("v0001");
    return trained;
  }

  /** Retrains the registry's champion on {@code train}, output in {@code tmp/out}. */
  private RetrainSummary retrain(String registryUri, Path train, String out, String... extra)
      throws Exception {
    return RetrainJob.run(
        config(train, testRows(), tmp.resolve(out), extra),
        spark,
        registryUri,
        RetrainJob.Options.defaults());
  }

  private static byte[] normalizerJson(ModelRegistry registry, String version) throws Exception {
    return registry.load(version).extraFile(Normalizer.FILE_NAME);
  }

  private static double accuracy(Map<String, Double> metrics) {
    return metrics.get("accuracy");
  }

  @Test
  void aChallengerOnTrueRowsReplacesAChampionOnInvertedOnesKeepingItsNormalizer() throws Exception {
    String registryUri = tmp.resolve("registry/breast-cancer").toString();
    // one epoch: wrong, yet unsure enough that the retrain's epoch on true rows improves it
    TrainSummary trained =
        registerChampion(invertedRows("first.csv", 1, 201), registryUri, "training.epochs=1");
    ModelRegistry registry = ModelRegistry.open(registryUri, CONF);
    LoadedCheckpoint champion = registry.load("v0001");
    assertThat(champion.extraFile(Normalizer.FILE_NAME))
        .as("registering copies the model's normalizer")
        .isEqualTo(ModelDirectory.read(trained.modelPath(), CONF).extraFile(Normalizer.FILE_NAME));
    assertThat(Normalizer.load(champion).count()).isEqualTo(200);
    assertThat(accuracy(trained.testMetrics())).as("taught the inverse").isLessThan(0.5);

    // keep (the default): the challenger goes on with the champion's normalizer.json.
    RetrainSummary kept = retrain(registryUri, rows("second.csv", 201, 326), "keep");

    assertThat(kept.decision()).as(kept.reason()).isEqualTo(RetrainDecision.PROMOTED);
    assertThat(kept.championAfter()).isEqualTo("v0002");
    assertThat(registry.champion()).contains("v0002");
    assertThat(accuracy(kept.challengerMetrics())).isGreaterThan(accuracy(kept.championMetrics()));
    assertThat(kept.normalizer()).isEqualTo("keep");
    assertThat(kept.challengerVersion()).isEqualTo("v0002");
    assertThat(kept.trainExamples()).isEqualTo(125);
    assertThat(kept.testExamples()).isEqualTo(119);
    assertThat(accuracy(kept.championMetrics()))
        .as("the champion on the same test file with its own normalizer, as when it was trained")
        .isEqualTo(accuracy(trained.testMetrics()));
    assertThat(normalizerJson(registry, "v0002")).isEqualTo(normalizerJson(registry, "v0001"));
  }

  @Test
  void aChallengerOnInvertedRowsIsKeptOutWithItsRefittedNormalizer() throws Exception {
    String registryUri = tmp.resolve("registry/breast-cancer").toString();
    TrainSummary trained = registerChampion(rows("first.csv", 1, 201), registryUri);
    ModelRegistry registry = ModelRegistry.open(registryUri, CONF);
    assertThat(accuracy(trained.testMetrics())).isGreaterThan(0.9);
    Path third = invertedRows("third.csv", 326, 451);

    // refit: a normalizer fitted on the new rows, saved with the challenger.
    RetrainSummary refit = retrain(registryUri, third, "refit", "retrain.normalizer=refit");

    assertThat(refit.decision()).as(refit.reason()).isEqualTo(RetrainDecision.KEPT_CHAMPION);
    assertThat(refit.championAfter()).isEqualTo("v0001");
    assertThat(registry.champion()).contains("v0001");
    assertThat(accuracy(refit.challengerMetrics())).isLessThan(accuracy(refit.championMetrics()));
    assertThat(refit.normalizer()).isEqualTo("refit");
    assertThat(refit.championVersion()).isEqualTo("v0001");
    assertThat(refit.challengerVersion()).isEqualTo("v0002");
    Normalizer refitted = Normalizer.fromJson(normalizerJson(registry, "v0002"));
    assertThat(normalizerJson(registry, "v0002")).isNotEqualTo(normalizerJson(registry, "v0001"));
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
    assertThat(accuracy(refit.challengerMetrics())).isEqualTo(challengerRunAccuracy);
    assertThat(refit.testExamples()).isEqualTo(119);
    assertThat(accuracy(refit.championMetrics()))
        .isEqualTo(registry.load("v0001").metrics().get("accuracy"));

    // The third file again: consumed although kept out, nothing trained.
    RetrainSummary again = retrain(registryUri, third, "again");
    assertThat(again.decision()).isEqualTo(RetrainDecision.NO_NEW_DATA);
    assertThat(registry.versions()).containsExactly("v0001", "v0002");
  }
}
