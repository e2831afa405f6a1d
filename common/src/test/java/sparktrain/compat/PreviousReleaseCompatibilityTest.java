package sparktrain.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.JobConfig;
import sparktrain.data.Normalizer;
import sparktrain.eval.EvaluateJob;
import sparktrain.io.Json;
import sparktrain.predict.PredictJob;
import sparktrain.provenance.RetrainDecision;
import sparktrain.provenance.RunStatus;
import sparktrain.registry.DecisionInfo;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.VersionInfo;
import sparktrain.retrain.RetrainProvenance;
import sparktrain.retrain.RetrainSummary;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.CheckpointProvenance;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * The artifacts written by the previous release ({@link PreviousRelease}, kept under {@code
 * src/test/resources/fixtures}) still load with this code: its checkpoints verify and a run resumes
 * from them, its model scores the held-out file to the very metrics it recorded, its registry lists
 * its versions with their decisions, and its summaries read back into this code's types.
 */
class PreviousReleaseCompatibilityTest extends LocalSparkTestBase {
  private static final Configuration CONF = new Configuration();
  private static JsonNode recordedSummary;

  @TempDir Path tmp;

  @BeforeAll
  static void readRecordedSummary() throws IOException {
    recordedSummary =
        Json.MAPPER.readTree(PreviousRelease.FIXTURE.resolve("run/summary.json").toFile());
  }

  /** A writable copy of a fixture directory (a resume or a registry read may write into it). */
  private Path copy(String fixtureDir) throws IOException {
    Path from = PreviousRelease.FIXTURE.resolve(fixtureDir);
    Path to = tmp.resolve(fixtureDir);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  private JobConfig config(Path out, int epochs) {
    return PreviousRelease.config(
        PreviousRelease.first(tmp), PreviousRelease.test(tmp), out, epochs);
  }

  @Test
  void itsCheckpointsVerifyAndRecordThisConfigsFingerprint() throws Exception {
    Path run = copy("run");
    CheckpointStore store = new CheckpointStore(run.toUri().toString(), CONF, 3);

    LoadedCheckpoint latest = store.loadLatest().orElseThrow();
    LoadedCheckpoint first = store.load("epoch-0001");
    LoadedCheckpoint model = ModelDirectory.read(run.resolve("model").toString(), CONF);

    assertThat(latest.name()).isEqualTo("epoch-0002");
    assertThat(latest.epoch()).isEqualTo(2);
    assertThat(first.epoch()).isEqualTo(1);
    assertThat(latest.manifest().versions()).containsEntry("dl4j", "1.0.0-M2");
    assertThat(latest.provenance().get("versions"))
        .isEqualTo(
            Map.of(
                "sparktrain", PreviousRelease.VERSION,
                "spark", "3.5.7",
                "scala", "2.12.18",
                "dl4j", "1.0.0-M2",
                "java", "17.0.15"));
    assertThat(CheckpointProvenance.configFingerprintIn(latest.provenance()))
        .contains(config(tmp.resolve("any"), 2).fingerprint());
    assertThat(latest.provenance().get(CheckpointProvenance.CREATED_BY))
        .isEqualTo(CheckpointProvenance.CREATOR);
    assertThat(model.network().params()).isEqualTo(latest.network().params());
    assertThat(Normalizer.load(model).count()).isEqualTo(200);
  }

  @Test
  void trainResumesFromItsNewestCheckpoint() throws Exception {
    Path run = copy("run");

    TrainSummary s = TrainJob.run(config(run, 3), spark, TrainJob.Options.fresh());

    assertThat(s.resumedFromEpoch()).isEqualTo(2);
    assertThat(s.epochsCompleted()).isEqualTo(3);
    assertThat(s.epochSeconds()).hasSize(1);
    assertThat(new CheckpointStore(run.toUri().toString(), CONF, 3).latestName())
        .contains("epoch-0003");
    assertThat(s.testMetrics().get("accuracy")).isGreaterThan(0.9);
  }

  @Test
  void evaluateScoresTheHeldOutFileToTheMetricsItsRunRecorded() throws Exception {
    EvaluateJob.Summary s =
        EvaluateJob.run(
            config(tmp.resolve("unused"), 2),
            spark,
            new EvaluateJob.Options(
                PreviousRelease.FIXTURE.resolve("run").toString(), tmp.resolve("eval").toString()));

    JsonNode recorded = recordedSummary.path("test_metrics");
    assertThat(s.metrics().examples()).isEqualTo(119);
    assertThat(s.metrics().summary().get("accuracy"))
        .isEqualTo(recorded.path("accuracy").asDouble());
    assertThat(s.metrics().summary().get("auc")).isEqualTo(recorded.path("auc").asDouble());
  }

  @Test
  void predictScoresEveryRowWithTheRegistrysChampion() throws Exception {
    Path registry = copy("registry");
    Path out = tmp.resolve("pred");

    PredictJob.Summary s =
        PredictJob.run(
            config(tmp.resolve("unused"), 2),
            spark,
            new PredictJob.Options(
                registry.resolve("breast-cancer") + "@champion", out.toString(), false));

    assertThat(s.rows()).isEqualTo(119);
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertThat(rows).hasSize(119);
    JsonNode provenance =
        Json.MAPPER.readTree(out.resolve(PredictJob.PROVENANCE_FILE).toFile()).path("model");
    assertThat(provenance.path("resolved").asText()).endsWith("/breast-cancer/versions/v0001");
  }

  @Test
  void itsRegistryListsItsVersionsWithTheirDecisions() throws Exception {
    ModelRegistry registry =
        ModelRegistry.open(copy("registry").resolve("breast-cancer").toString(), CONF);

    List<VersionInfo> versions = registry.list();

    assertThat(registry.champion()).contains("v0001");
    assertThat(versions).extracting(VersionInfo::version).containsExactly("v0001", "v0002");
    assertThat(versions).extracting(VersionInfo::problem).containsOnlyNulls();
    assertThat(versions)
        .extracting(VersionInfo::decisionValue)
        .containsExactly("promoted", "kept-champion");
    LoadedCheckpoint v2 = registry.load("v0002");
    assertThat(v2.parent()).isEqualTo("v0001");
    assertThat(ModelRegistry.versionIn(v2.provenance())).contains("v0002");
    RetrainProvenance retrain = RetrainProvenance.in(v2.provenance()).orElseThrow();
    assertThat(retrain.retrainedFrom()).isEqualTo("v0001");
    assertThat(retrain.replayFraction()).isZero();
    assertThat(retrain.replaySources()).isEmpty();
    assertThat(retrain.newData().get("key").toString()).startsWith("csv files=[sha256:");
    assertThat(v2.provenance().get(CheckpointProvenance.CREATED_BY))
        .isEqualTo(RetrainProvenance.CREATOR);
    assertThat(RetrainProvenance.in(registry.load("v0001").provenance())).isEmpty();
    DecisionInfo decision = DecisionInfo.in(v2.provenance()).orElseThrow();
    assertThat(decision.decision()).isEqualTo(RetrainDecision.KEPT_CHAMPION.value());
    assertThat(decision.reason()).contains("not better by at least min-improvement");
    assertThat(decision.details()).containsEntry("champion_version", "v0001");
    assertThat(decision.toMap())
        .as("written again as the previous release wrote it")
        .isEqualTo(v2.provenance().get(ModelRegistry.DECISION_KEY));
  }

  @Test
  void itsSummariesReadBackIntoThisCodesTypes() throws Exception {
    TrainSummary train =
        Json.MAPPER.readValue(
            PreviousRelease.FIXTURE.resolve("run/summary.json").toFile(), TrainSummary.class);
    RetrainSummary retrain =
        Json.MAPPER.readValue(
            PreviousRelease.FIXTURE.resolve("retrain/summary.json").toFile(), RetrainSummary.class);

    assertThat(train.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(train.epochsCompleted()).isEqualTo(2);
    assertThat(retrain.decision()).isEqualTo(RetrainDecision.KEPT_CHAMPION);
    assertThat(retrain.challengerVersion()).isEqualTo("v0002");
    // written again, the typed values are the strings the previous release wrote
    assertThat(Json.MAPPER.valueToTree(train).get("status"))
        .isEqualTo(recordedSummary.get("status"));
    assertThat(Json.MAPPER.valueToTree(retrain).get("decision").asText())
        .isEqualTo("kept-champion");
  }

  @Test
  void everyTypedValueIsWrittenAsTheStringOfThePreviousRelease() {
    assertThat(Stream.of(RunStatus.values()).map(v -> Json.MAPPER.valueToTree(v).asText()))
        .containsExactly("succeeded", "failed");
    assertThat(Stream.of(RetrainDecision.values()).map(v -> Json.MAPPER.valueToTree(v).asText()))
        .containsExactly("promoted", "kept-champion", "no-new-data", "failed", "registered");
  }
}
