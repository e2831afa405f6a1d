package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sparktrain.io.Json;

/** Regression metrics and residual histograms on hand-made cases with known answers. */
class RegressionMetricsTest {
  private static final double[] Y = {3, -0.5, 2, 7};

  private static RegressionMetrics of(double[] y, double[] yHat) {
    RegressionMetrics m = new RegressionMetrics(1);
    for (int i = 0; i < y.length; i++) {
      m.add(new double[] {y[i]}, new double[] {yHat[i]});
    }
    return m;
  }

  @Test
  void perfectPredictionsHaveR2One() {
    RegressionMetrics m = of(Y, Y);
    assertThat(m.r2(0)).isEqualTo(1.0);
    assertThat(m.mse(0)).isZero();
    assertThat(m.mae(0)).isZero();
    assertThat(m.residualHistogram(0).counts()[128]).isEqualTo(4); // all in bin [0, w)
  }

  @Test
  void predictingTheMeanHasR2Zero() {
    double mean = (3 - 0.5 + 2 + 7) / 4;
    RegressionMetrics m = of(Y, new double[] {mean, mean, mean, mean});
    assertThat(m.r2(0)).isCloseTo(0.0, within(1e-15));
    assertThat(m.meanResidual(0)).isCloseTo(0.0, within(1e-15));
  }

  @Test
  void knownCaseMatchesHandComputation() throws Exception {
    // scikit-learn's doc example: y = [3, -0.5, 2, 7], y_hat = [2.5, 0, 2, 8]
    RegressionMetrics m = of(Y, new double[] {2.5, 0.0, 2, 8});
    assertThat(m.mse(0)).isCloseTo(0.375, within(1e-15));
    assertThat(m.rmse(0)).isCloseTo(Math.sqrt(0.375), within(1e-15));
    assertThat(m.mae(0)).isCloseTo(0.5, within(1e-15));
    assertThat(m.r2(0)).isCloseTo(0.9486081370449679, within(1e-15));
    Map<String, Double> s = m.summary();
    assertThat(s).containsKeys("mse", "rmse", "mae", "r2", "loss", "examples");
    assertThat(s.get("examples")).isEqualTo(4.0);
    assertThat(s.get("non_finite_outputs")).isZero();
    JsonNode d = Json.MAPPER.readTree(Json.line(m.detail()));
    JsonNode column = d.get("columns").get(0);
    assertThat(column.get("r2").asDouble()).isEqualTo(m.r2(0));
    // residuals 0.5, -0.5, 0, -1 at width 2^-7 (1 needs 128 w > 1)
    JsonNode h = column.get("residual_histogram");
    assertThat(h.get("bin_width").asDouble()).isEqualTo(1.0 / 128);
    assertThat(h.get("lower_edge").asDouble()).isEqualTo(-1.0);
    assertThat(h.get("total").asLong()).isEqualTo(4);
    assertThat(h.get("counts")).hasSize(128 + 64 + 1); // bins -128 (-1) to 64 (0.5)
  }

  @Test
  void mergingPartsEqualsOnePassAndStaysStableFarFromZero() {
    Random random = new Random(3);
    int n = 1000;
    double[][] y = new double[n][];
    double[][] yHat = new double[n][];
    for (int i = 0; i < n; i++) {
      // a large offset: the naive sum-of-squares formula would lose most digits of SST
      y[i] = new double[] {1e8 + random.nextGaussian(), random.nextGaussian() * 10};
      yHat[i] = new double[] {y[i][0] + 0.5 * random.nextGaussian(), y[i][1] * 0.9};
    }
    RegressionMetrics whole = new RegressionMetrics(2);
    RegressionMetrics merged = new RegressionMetrics(2);
    RegressionMetrics part = new RegressionMetrics(2);
    for (int i = 0; i < n; i++) {
      whole.add(y[i], yHat[i]);
      part.add(y[i], yHat[i]);
      if (i % 137 == 0) {
        merged.merge(part);
        part = new RegressionMetrics(2);
      }
    }
    merged.merge(part).merge(new RegressionMetrics(2));
    for (int c = 0; c < 2; c++) {
      // two-pass reference
      double mean = 0;
      for (double[] r : y) {
        mean += r[c];
      }
      mean /= n;
      double sst = 0;
      double sse = 0;
      for (int i = 0; i < n; i++) {
        sst += (y[i][c] - mean) * (y[i][c] - mean);
        sse += (y[i][c] - yHat[i][c]) * (y[i][c] - yHat[i][c]);
      }
      // at an offset of 1e8 both the two-pass reference and Welford carry ~1e-9 relative
      // rounding; Σy² − (Σy)²/n would be off by ~100%
      assertThat(merged.sst(c)).isCloseTo(sst, within(1e-7 * sst));
      assertThat(whole.sst(c)).isCloseTo(sst, within(1e-7 * sst));
      assertThat(merged.r2(c)).isCloseTo(1 - sse / sst, within(1e-7));
      assertThat(merged.mse(c)).isCloseTo(whole.mse(c), within(1e-9 * whole.mse(c)));
      assertThat(merged.residualHistogram(c).counts())
          .isEqualTo(whole.residualHistogram(c).counts());
      assertThat(merged.residualHistogram(c).binWidth())
          .isEqualTo(whole.residualHistogram(c).binWidth());
    }
    assertThat(merged.scored()).isEqualTo(n);
    assertThat(merged.summary().get("r2"))
        .isCloseTo((merged.r2(0) + merged.r2(1)) / 2, within(0.0));
  }

  @Test
  void residualHistogramHasTheSmallestPowerOfTwoWidthAndExactCounts() {
    ResidualHistogram h = new ResidualHistogram();
    double[] values = {0.3, -2.9, 5.0, 0.0, -0.01, 5.01};
    for (double v : values) {
      h.add(v);
    }
    // 5.0 needs 128 w > 5: w = 2^-4 = 0.0625 (2^-5 covers only [-4, 4))
    assertThat(h.binWidth()).isEqualTo(0.0625);
    long[] counts = h.counts();
    for (double v : values) {
      int i = (int) Math.floor(v / 0.0625) + 128;
      assertThat(counts[i]).as("bin of %s", v).isPositive();
      assertThat(h.lowerEdge(i)).isLessThanOrEqualTo(v);
      assertThat(h.lowerEdge(i) + h.binWidth()).isGreaterThan(v);
    }
    assertThat(counts[(int) Math.floor(5.0 / 0.0625) + 128]).isEqualTo(2); // 5.0 and 5.01
    assertThat(h.total()).isEqualTo(6);
    Map<String, Object> m = h.toMap();
    assertThat((double) m.get("lower_edge")).isEqualTo(-47 * 0.0625); // floor(-2.9 / 0.0625)
    assertThat((long[]) m.get("counts")).hasSize(80 + 47 + 1);
    assertThatThrownBy(() -> h.add(Double.NaN)).hasMessageContaining("NaN");
  }

  @Test
  void nonFiniteRowsAreCountedNotScored() {
    RegressionMetrics m = new RegressionMetrics(1);
    m.addNonFinite();
    assertThat(m.summary().get("mse")).isNaN();
    assertThat(m.summary().get("r2")).isNaN();
    assertThat(m.summary().get("non_finite_outputs")).isEqualTo(1.0);
    assertThat(m.summary().get("examples")).isEqualTo(1.0);
    m.add(new double[] {1}, new double[] {2});
    assertThat(m.mse(0)).isEqualTo(1.0);
    assertThat(m.examples()).isEqualTo(2);
  }

  @Test
  void mergeAddsLossesAndNonFiniteCounts() {
    RegressionMetrics a = of(new double[] {1}, new double[] {2});
    a.addLoss(3.0, 1);
    RegressionMetrics b = of(new double[] {4, 5}, new double[] {4, 5});
    b.addLoss(1.5, 2);
    b.addNonFinite();

    a.merge(b);

    assertThat(a.meanLoss()).isEqualTo(4.5 / 3);
    assertThat(a.nonFiniteOutputs()).isEqualTo(1);
    assertThat(a.examples()).isEqualTo(4);
    assertThat(a.summary().get("loss")).isEqualTo(1.5);
    assertThat(new RegressionMetrics(1).meanLoss()).isNaN();
  }
}
