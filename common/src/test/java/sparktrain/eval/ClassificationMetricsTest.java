package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Multiclass metrics on a hand-made case with known answers. */
class ClassificationMetricsTest {

  @Test
  void perClassWeightedTopKAndLogLoss() {
    ClassificationMetrics m = new ClassificationMetrics(3, 2, true);
    // actual 0: predicted 0 (p .7), predicted 1 (p(0) = .3, second: in top 2)
    m.addProbabilities(0, new double[] {0.7, 0.2, 0.1});
    m.addProbabilities(0, new double[] {0.3, 0.6, 0.1});
    // actual 1: predicted 1
    m.addProbabilities(1, new double[] {0.1, 0.8, 0.1});
    // actual 2: predicted 0, p(2) lowest: not in top 2
    m.addProbabilities(2, new double[] {0.5, 0.4, 0.1});
    assertThat(m.confusion()).isEqualTo(new long[][] {{1, 1, 0}, {0, 1, 0}, {1, 0, 0}});
    assertThat(m.accuracy()).isEqualTo(0.5);
    assertThat(m.precision(0)).isEqualTo(0.5);
    assertThat(m.recall(0)).isEqualTo(0.5);
    assertThat(m.precision(1)).isEqualTo(0.5);
    assertThat(m.recall(1)).isEqualTo(1.0);
    assertThat(m.f1(1)).isCloseTo(2 / 3.0, within(1e-15));
    assertThat(m.f1(2)).isZero();
    assertThat(m.macroF1()).isCloseTo((0.5 + 2 / 3.0 + 0) / 3, within(1e-15));
    assertThat(m.weightedF1()).isCloseTo((2 * 0.5 + 1 * 2 / 3.0 + 0) / 4, within(1e-15));
    assertThat(m.topKAccuracy()).isEqualTo(0.75);
    double logLoss = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.1)) / 4;
    assertThat(m.logLoss()).isCloseTo(logLoss, within(1e-15));
    Map<String, Double> s = m.summary();
    assertThat(s)
        .containsKeys("accuracy", "f1", "weighted_f1", "loss", "log_loss", "top2_accuracy");
    assertThat(m.perClass().get(1)).containsEntry("support", 1L).containsEntry("predicted", 2L);
  }

  @Test
  void probabilityZeroIsClippedNotInfinite() {
    ClassificationMetrics m = new ClassificationMetrics(2);
    m.addProbabilities(1, new double[] {1.0, 0.0});
    assertThat(m.logLoss()).isCloseTo(-Math.log(1e-15), within(1e-9));
  }

  @Test
  void withoutProbabilitiesTheSummaryHasNoLogLoss() {
    ClassificationMetrics m = new ClassificationMetrics(2, 5, false);
    m.add(1, 1);
    assertThat(m.summary()).doesNotContainKeys("log_loss", "top5_accuracy");
    assertThat(m.summary().get("accuracy")).isEqualTo(1.0);
  }

  @Test
  void mergeAddsEverything() {
    ClassificationMetrics a = new ClassificationMetrics(3);
    ClassificationMetrics b = new ClassificationMetrics(3);
    a.addProbabilities(0, new double[] {0.6, 0.3, 0.1});
    b.addProbabilities(2, new double[] {0.6, 0.3, 0.1});
    b.addNonFinite();
    b.addLoss(1.5, 1);
    a.addLoss(0.5, 1);
    a.merge(b);
    assertThat(a.examples()).isEqualTo(3);
    assertThat(a.scored()).isEqualTo(2);
    assertThat(a.accuracy()).isEqualTo(0.5);
    assertThat(a.meanLoss()).isEqualTo(1.0);
    assertThat(a.topKAccuracy()).isEqualTo(1.0);
  }
}
