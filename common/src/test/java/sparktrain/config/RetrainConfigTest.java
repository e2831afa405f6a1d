package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.config.TestConfigs.error;
import static sparktrain.config.TestConfigs.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code retrain} section and {@code data.train-offset}. */
class RetrainConfigTest {

  @TempDir Path dir;

  @Test
  void defaults() {
    JobConfig job = ConfigLoader.load(null, TestConfigs.PATHS);

    assertThat(job.retrain())
        .isEqualTo(
            new RetrainConfig(
                1,
                RetrainMetric.ACCURACY,
                0.0,
                Map.of(),
                0.0,
                Duration.ofMinutes(30),
                RetrainNormalizer.KEEP));
    assertThat(job.data().trainOffset()).isZero();
  }

  @Test
  void guardRailsKeepTheirOrderAndTakeSetOverrides() {
    JobConfig job =
        load(
            dir,
            "retrain {\n  metric = \"f1\"\n  min-improvement = 0.002\n"
                + "  guard-rails { loss = 0.05, pr-auc = 0.01 }\n  replay-fraction = 1\n}\n"
                + "data.train-offset = 20000\n",
            "retrain.guard-rails.accuracy=0.02",
            "retrain.lock-ttl=2h",
            "retrain.normalizer=refit");

    RetrainConfig r = job.retrain();
    assertThat(r.metric()).isEqualTo(RetrainMetric.F1);
    assertThat(r.minImprovement()).isEqualTo(0.002);
    assertThat(r.guardRails())
        .containsExactly(
            Map.entry(RetrainMetric.ACCURACY, 0.02),
            Map.entry(RetrainMetric.LOSS, 0.05),
            Map.entry(RetrainMetric.PR_AUC, 0.01));
    assertThat(r.replayFraction()).isEqualTo(1.0);
    assertThat(r.lockTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(r.normalizer()).isEqualTo(RetrainNormalizer.REFIT);
    assertThat(job.data().trainOffset()).isEqualTo(20000);
    assertThat(RetrainMetric.PR_AUC.summaryKey()).isEqualTo("pr_auc");
    assertThat(RetrainMetric.LOSS.improvement(0.30, 0.25)).isCloseTo(0.05, within());
    assertThat(RetrainMetric.ACCURACY.improvement(0.90, 0.85)).isCloseTo(-0.05, within());
  }

  @Test
  void everyRetrainProblemIsReportedWithItsKey() {
    ConfigException e =
        error(
            dir,
            "retrain {\n  metric = \"acc\"\n  guard-rails {\n    los = 0.05\n    f1 = -1\n  }\n"
                + "  replay-fraction = 1.5\n  epochs = 0\n  normalizer = \"reuse\"\n}\n"
                + "data.train-offset = -1\n");

    List<String> p = e.problems();
    assertThat(p).hasSize(7);
    assertThat(p)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("retrain.metric (")
                    .contains("job.conf:2)")
                    .contains("expected one of accuracy, f1, weighted-f1"));
    assertThat(p)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("retrain.guard-rails.los (")
                    .contains("job.conf:4)")
                    .contains("unknown metric")
                    .endsWith("did you mean 'loss'?"));
    assertThat(p)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("retrain.guard-rails.f1 (")
                    .contains("job.conf:5)")
                    .contains(">= 0"));
    assertThat(p)
        .anySatisfy(s -> assertThat(s).startsWith("retrain.replay-fraction").contains("in [0, 1]"));
    assertThat(p).anySatisfy(s -> assertThat(s).startsWith("retrain.epochs").contains(">= 1"));
    assertThat(p).anySatisfy(s -> assertThat(s).startsWith("data.train-offset").contains(">= 0"));
    assertThat(p)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("retrain.normalizer (")
                    .contains("job.conf:9)")
                    .contains("keep, refit")
                    .contains("reuse"));
  }

  @Test
  void guardRailsMustBeASection() {
    ConfigException e = error(dir, "retrain.guard-rails = 0.05\n");

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("retrain.guard-rails (")
        .contains("job.conf:1)")
        .contains("e.g. { loss = 0.05 }");
  }

  @Test
  void renderedConfigLoadsBackEqual() {
    JobConfig job =
        ConfigLoader.load(
            null, TestConfigs.sets("retrain.guard-rails.loss=0.05", "retrain.metric=loss"));

    JobConfig again =
        ConfigLoader.fromConfig(com.typesafe.config.ConfigFactory.parseString(job.render()));

    assertThat(again.retrain()).isEqualTo(job.retrain());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }
}
