package sparktrain.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sparktrain.config.ConfigException;
import sparktrain.config.RetrainConfig;
import sparktrain.config.RetrainMetric;
import sparktrain.config.RetrainNormalizer;
import sparktrain.provenance.RetrainDecision;

class PromotionPolicyTest {
  private static final Map<String, Double> CHAMPION =
      Map.of("accuracy", 0.90, "f1", 0.89, "loss", 0.30, "non_finite_outputs", 0.0);

  private static RetrainConfig policy(
      RetrainMetric metric, double minImprovement, Map<RetrainMetric, Double> rails) {
    return new RetrainConfig(
        1, metric, minImprovement, rails, 0, Duration.ofMinutes(1), RetrainNormalizer.KEEP);
  }

  private static Map<String, Double> with(String key, double value) {
    Map<String, Double> m = new LinkedHashMap<>(CHAMPION);
    m.put(key, value);
    return m;
  }

  @Test
  void betterByAtLeastTheMarginIsPromoted() {
    var v =
        PromotionPolicy.decide(
            policy(RetrainMetric.ACCURACY, 0.01, Map.of()), CHAMPION, with("accuracy", 0.91));

    assertThat(v.promote()).isTrue();
    assertThat(v.decision()).isEqualTo(RetrainDecision.PROMOTED);
    assertThat(v.improvement()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(v.reason()).contains("accuracy 0.9000 -> 0.9100").contains("+0.0100");
  }

  @Test
  void betterByLessThanTheMarginOrEqualIsKept() {
    RetrainConfig p = policy(RetrainMetric.ACCURACY, 0.02, Map.of());

    var v = PromotionPolicy.decide(p, CHAMPION, with("accuracy", 0.91));
    var equal =
        PromotionPolicy.decide(policy(RetrainMetric.ACCURACY, 0, Map.of()), CHAMPION, CHAMPION);

    assertThat(v.promote()).isFalse();
    assertThat(v.decision()).isEqualTo(RetrainDecision.KEPT_CHAMPION);
    assertThat(v.reason()).contains("not better by at least min-improvement 0.0200");
    assertThat(equal.promote()).as("no change is no improvement").isFalse();
  }

  @Test
  void lossIsBetterWhenLower() {
    RetrainConfig p = policy(RetrainMetric.LOSS, 0.0, Map.of());

    assertThat(PromotionPolicy.decide(p, CHAMPION, with("loss", 0.25)).promote()).isTrue();
    assertThat(PromotionPolicy.decide(p, CHAMPION, with("loss", 0.35)).promote()).isFalse();
  }

  @Test
  void aBrokenGuardRailKeepsTheChampionAndIsNamed() {
    RetrainConfig p = policy(RetrainMetric.ACCURACY, 0, Map.of(RetrainMetric.LOSS, 0.05));
    Map<String, Double> challenger = with("accuracy", 0.95);
    challenger.put("loss", 0.40);

    var v = PromotionPolicy.decide(p, CHAMPION, challenger);
    var withinLimit = PromotionPolicy.decide(p, CHAMPION, with("accuracy", 0.95));

    assertThat(v.promote()).isFalse();
    assertThat(v.violations())
        .singleElement()
        .asString()
        .contains("loss 0.3000 -> 0.4000 regressed by 0.1000 > allowed 0.0500");
    assertThat(withinLimit.promote()).isTrue();
    assertThat(withinLimit.reason()).contains("guard rails held (loss <= 0.0500)");
  }

  @Test
  void nanOrMoreNonFiniteOutputsNeverPromote() {
    RetrainConfig p = policy(RetrainMetric.ACCURACY, 0, Map.of());
    Map<String, Double> nonFinite = with("accuracy", 0.95);
    nonFinite.put("non_finite_outputs", 3.0);

    assertThat(PromotionPolicy.decide(p, CHAMPION, with("accuracy", Double.NaN)).promote())
        .isFalse();
    var v = PromotionPolicy.decide(p, CHAMPION, nonFinite);
    assertThat(v.promote()).isFalse();
    assertThat(v.reason()).contains("3 test examples with NaN or infinite outputs");
  }

  @Test
  void aChampionWithAnUndefinedMetricLosesToADefinedOne() {
    RetrainConfig p = policy(RetrainMetric.ACCURACY, 0.5, Map.of());

    assertThat(PromotionPolicy.decide(p, with("accuracy", Double.NaN), CHAMPION).promote())
        .isTrue();
  }

  @Test
  void metricsTheModelDoesNotComputeAreConfigErrors() {
    RetrainConfig p = policy(RetrainMetric.AUC, 0, Map.of(RetrainMetric.R2, 0.1));

    assertThatThrownBy(() -> PromotionPolicy.requireAvailable(p, CHAMPION))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retrain.metric: 'auc' is not computed for this model")
        .hasMessageContaining("available: accuracy, f1, loss")
        .hasMessageContaining("retrain.guard-rails.r2");
  }
}
