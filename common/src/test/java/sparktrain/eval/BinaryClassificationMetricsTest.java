package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sparktrain.io.Json;

/** Binary metrics on hand-made cases with known answers, exact and through the histogram. */
class BinaryClassificationMetricsTest {

  private static BinaryClassificationMetrics of(int exactLimit, double[] pos, double[] neg) {
    BinaryClassificationMetrics m = new BinaryClassificationMetrics(exactLimit);
    for (double p : pos) {
      m.add(true, p);
    }
    for (double p : neg) {
      m.add(false, p);
    }
    return m;
  }

  @ParameterizedTest(name = "exactLimit={0}")
  @ValueSource(ints = {0, 1000})
  void perfectClassifierHasAucOne(int exactLimit) {
    var m = of(exactLimit, new double[] {0.9, 0.8, 0.71}, new double[] {0.3, 0.2, 0.05, 0.6});
    assertThat(m.exact()).isEqualTo(exactLimit > 0);
    assertThat(m.auc()).isEqualTo(1.0);
    assertThat(m.prAuc()).isEqualTo(1.0);
    assertThat(m.accuracy()).isEqualTo(6 / 7.0);
    assertThat(m.aucMaxError()).isZero();
  }

  @ParameterizedTest(name = "exactLimit={0}")
  @ValueSource(ints = {0, 1000})
  void reversedClassifierHasAucZero(int exactLimit) {
    var m = of(exactLimit, new double[] {0.1, 0.2}, new double[] {0.7, 0.9, 0.8});
    assertThat(m.auc()).isEqualTo(0.0);
    assertThat(m.accuracy()).isEqualTo(0.0);
    assertThat(m.precision()).isEqualTo(0.0);
    assertThat(m.recall()).isEqualTo(0.0);
    assertThat(m.f1()).isEqualTo(0.0);
  }

  @ParameterizedTest(name = "exactLimit={0}")
  @ValueSource(ints = {0, 1000})
  void constantScoreHasAucOneHalf(int exactLimit) {
    var m = of(exactLimit, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5});
    assertThat(m.auc()).isEqualTo(0.5);
    // one point (recall 1, precision 3/5) joined to (0, 1): (1 + 0.6) / 2
    assertThat(m.prAuc()).isCloseTo(0.8, within(1e-15));
    // 0.5 is predicted positive
    assertThat(m.truePositives()).isEqualTo(3);
    assertThat(m.falsePositives()).isEqualTo(2);
    assertThat(m.precision()).isEqualTo(0.6);
    assertThat(m.recall()).isEqualTo(1.0);
    assertThat(m.logLoss()).isCloseTo(Math.log(2), within(1e-15));
    if (exactLimit == 0) {
      // every pair is tied in one bin: the bound is the whole half
      assertThat(m.aucMaxError()).isEqualTo(0.5);
    }
  }

  @Test
  void smallCaseMatchesHandComputation() {
    // pairs (pos > neg): 0.9>0.6, 0.9>0.1, 0.4<0.6, 0.4>0.1: 3 of 4
    var m = of(1000, new double[] {0.9, 0.4}, new double[] {0.6, 0.1});
    assertThat(m.auc()).isEqualTo(0.75);
    // PR points from (0,1): (.5,1) (.5,.5) (1,2/3) (1,.5) -> .5 + .5*(.5+2/3)/2
    assertThat(m.prAuc()).isCloseTo(0.5 + 0.5 * (0.5 + 2.0 / 3) / 2, within(1e-15));
    assertThat(m.truePositives()).isEqualTo(1);
    assertThat(m.falsePositives()).isEqualTo(1);
    assertThat(m.trueNegatives()).isEqualTo(1);
    assertThat(m.falseNegatives()).isEqualTo(1);
    double logLoss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.9)) / 4;
    assertThat(m.logLoss()).isCloseTo(logLoss, within(1e-15));
    // the histogram gives the same here: no positive shares a bin with a negative
    var h = of(0, new double[] {0.9, 0.4}, new double[] {0.6, 0.1});
    assertThat(h.auc()).isEqualTo(0.75);
    assertThat(h.aucMaxError()).isZero();
  }

  @Test
  void histogramAucIsWithinItsStatedBoundOfTheExactPairCount() {
    Random random = new Random(7);
    var exact = new BinaryClassificationMetrics(100_000);
    var hist = new BinaryClassificationMetrics(0);
    double[] pos = new double[3000];
    double[] neg = new double[4000];
    // overlapping classes, scores squeezed near 1 so that many pairs share bins
    for (int i = 0; i < pos.length; i++) {
      pos[i] = 1 - 0.01 * Math.pow(random.nextDouble(), 2);
      exact.add(true, pos[i]);
      hist.add(true, pos[i]);
    }
    for (int i = 0; i < neg.length; i++) {
      neg[i] = 1 - 0.01 * random.nextDouble();
      exact.add(false, neg[i]);
      hist.add(false, neg[i]);
    }
    double pairs = 0;
    for (double p : pos) {
      for (double n : neg) {
        pairs += p > n ? 1 : p == n ? 0.5 : 0;
      }
    }
    double reference = pairs / ((double) pos.length * neg.length);
    assertThat(exact.aucMethod()).isEqualTo("exact");
    assertThat(exact.auc()).isCloseTo(reference, within(1e-12));
    assertThat(hist.aucMethod()).isEqualTo("histogram");
    assertThat(hist.aucMaxError()).isGreaterThan(0.001); // the bound is not vacuous here
    assertThat(Math.abs(hist.auc() - reference)).isLessThanOrEqualTo(hist.aucMaxError());
  }

  @Test
  void exactScoresAreKeptOnlyWhileTheTotalIsWithinTheLimit() {
    var a = of(5, new double[] {0.9, 0.8}, new double[] {0.1});
    var b = of(5, new double[] {0.7}, new double[] {0.2});
    assertThat(a.merge(b).exact()).isTrue();
    var c = of(5, new double[] {0.6}, new double[] {0.3});
    assertThat(a.merge(c).exact()).isFalse();
    assertThat(a.auc()).isEqualTo(1.0);
    assertThat(a.scored()).isEqualTo(7);
    assertThat(of(2, new double[] {0.6, 0.1}, new double[] {0.3}).exact()).isFalse();
  }

  @Test
  void thresholdCurveCountsAtEachStep() {
    var m = of(0, new double[] {0.96, 0.55, 0.3}, new double[] {0.6, 0.2, 0.0});
    List<Map<String, Object>> curve = m.thresholdCurve();
    assertThat(curve).hasSize(100);
    assertThat(curve.get(0)).containsEntry("threshold", 0.0).containsEntry("tp", 3L);
    assertThat(curve.get(0)).containsEntry("fp", 3L).containsEntry("tn", 0L);
    Map<String, Object> half = curve.get(50);
    assertThat(half).containsEntry("threshold", 0.5).containsEntry("tp", 2L);
    assertThat(half).containsEntry("fp", 1L).containsEntry("fn", 1L).containsEntry("tn", 2L);
    assertThat((double) half.get("precision")).isCloseTo(2 / 3.0, within(1e-15));
    assertThat(half.get("tp")).isEqualTo(m.truePositives());
    assertThat(curve.get(99)).containsEntry("tp", 0L).containsEntry("fp", 0L);
    assertThat(curve.get(95)).containsEntry("tp", 1L);
  }

  @Test
  void withoutScoredExamplesEveryMetricIsNaN() {
    var m = new BinaryClassificationMetrics();
    m.addNonFinite();
    m.addNonFinite();
    Map<String, Double> s = m.summary();
    assertThat(s.get("examples")).isEqualTo(2.0);
    assertThat(s.get("non_finite_outputs")).isEqualTo(2.0);
    for (String k : List.of("accuracy", "precision", "recall", "f1", "auc", "pr_auc", "loss")) {
      assertThat(s.get(k)).as(k).isNaN();
    }
    assertThat(m.detail()).containsKeys("threshold_curve", "roc_curve", "auc_method");
  }

  @Test
  void detailIsJson() throws Exception {
    var m = of(0, new double[] {0.9, 0.55, 0.3}, new double[] {0.6, 0.2});
    m.addNonFinite();
    JsonNode d = Json.MAPPER.readTree(Json.line(m.detail()));
    assertThat(d.get("kind").asText()).isEqualTo("binary");
    assertThat(d.get("auc_method").asText()).isEqualTo("histogram");
    assertThat(d.get("summary").get("auc").asDouble()).isEqualTo(m.auc());
    assertThat(d.get("summary").get("non_finite_outputs").asDouble()).isEqualTo(1.0);
    assertThat(d.get("threshold_curve")).hasSize(100);
    assertThat(d.get("roc_curve").get(d.get("roc_curve").size() - 1).get("tpr").asDouble())
        .isEqualTo(1.0);
    assertThat(d.get("confusion_matrix").get(1).get(1).asLong()).isEqualTo(2);
  }
}
