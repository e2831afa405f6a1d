package sparktrain.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROC and precision-recall curves of binary scores. Built from score groups in descending score
 * order, each holding the positives and negatives whose score is in the group (a distinct score, or
 * a histogram bin); point i is the classifier "positive when score >= threshold[i]".
 *
 * <p>Both areas are trapezoid integrals: ROC over (FPR, TPR) from (0, 0), which counts a
 * positive-negative pair in the same group as half ordered (the Mann-Whitney convention), and PR
 * over (recall, precision) from (0, 1).
 */
public final class BinaryCurve {
  private final double[] thresholds;
  private final long[] tp; // cumulative true positives at point i
  private final long[] fp; // cumulative false positives at point i
  private final long positives;
  private final long negatives;
  private final double tiedPairs; // sum over groups of positives * negatives

  private BinaryCurve(double[] thresholds, long[] tp, long[] fp, double tiedPairs) {
    this.thresholds = thresholds;
    this.tp = tp;
    this.fp = fp;
    this.positives = tp.length == 0 ? 0 : tp[tp.length - 1];
    this.negatives = fp.length == 0 ? 0 : fp[fp.length - 1];
    this.tiedPairs = tiedPairs;
  }

  /**
   * The curve of score groups given in descending score order; empty groups are skipped.
   *
   * @param thresholds lowest score of each group
   * @param pos positives in each group
   * @param neg negatives in each group
   */
  static BinaryCurve ofGroups(double[] thresholds, long[] pos, long[] neg) {
    int groups = 0;
    for (int i = 0; i < pos.length; i++) {
      if (pos[i] + neg[i] > 0) {
        groups++;
      }
    }
    double[] t = new double[groups];
    long[] tp = new long[groups];
    long[] fp = new long[groups];
    long cumTp = 0;
    long cumFp = 0;
    double tied = 0;
    int g = 0;
    for (int i = 0; i < pos.length; i++) {
      if (pos[i] + neg[i] == 0) {
        continue;
      }
      cumTp += pos[i];
      cumFp += neg[i];
      tied += (double) pos[i] * neg[i];
      t[g] = thresholds[i];
      tp[g] = cumTp;
      fp[g] = cumFp;
      g++;
    }
    return new BinaryCurve(t, tp, fp, tied);
  }

  /** The curve of exact scores (each distinct score is one group). Sorts the arrays in place. */
  static BinaryCurve ofScores(double[] positiveScores, double[] negativeScores) {
    Arrays.sort(positiveScores);
    Arrays.sort(negativeScores);
    int i = positiveScores.length - 1;
    int j = negativeScores.length - 1;
    int capacity = positiveScores.length + negativeScores.length;
    double[] t = new double[capacity];
    long[] pos = new long[capacity];
    long[] neg = new long[capacity];
    int g = 0;
    while (i >= 0 || j >= 0) {
      double s =
          i < 0
              ? negativeScores[j]
              : j < 0 ? positiveScores[i] : Math.max(positiveScores[i], negativeScores[j]);
      t[g] = s;
      while (i >= 0 && positiveScores[i] == s) {
        pos[g]++;
        i--;
      }
      while (j >= 0 && negativeScores[j] == s) {
        neg[g]++;
        j--;
      }
      g++;
    }
    return ofGroups(Arrays.copyOf(t, g), Arrays.copyOf(pos, g), Arrays.copyOf(neg, g));
  }

  /** Number of points (non-empty score groups). */
  public int size() {
    return thresholds.length;
  }

  /** Positives in all. */
  public long positives() {
    return positives;
  }

  /** Negatives in all. */
  public long negatives() {
    return negatives;
  }

  /** Area under the ROC curve (NaN without positives or without negatives). */
  public double rocAuc() {
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    // Trapezoids in counts, divided once: sum of (fp_i - fp_{i-1}) * (tp_i + tp_{i-1}) / 2.
    double area = 0;
    long prevTp = 0;
    long prevFp = 0;
    for (int i = 0; i < tp.length; i++) {
      area += (double) (fp[i] - prevFp) * (tp[i] + prevTp) / 2;
      prevTp = tp[i];
      prevFp = fp[i];
    }
    return area / ((double) positives * negatives);
  }

  /**
   * The most {@link #rocAuc()} can differ from the AUC of the ungrouped scores: half the fraction
   * of positive-negative pairs that share a group (0 when every group is one distinct score).
   */
  double rocAucMaxError(boolean groupsAreDistinctScores) {
    if (groupsAreDistinctScores) {
      return 0;
    }
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return 0.5 * tiedPairs / ((double) positives * negatives);
  }

  /** Area under the precision-recall curve, from (recall 0, precision 1); NaN without positives. */
  public double prAuc() {
    if (positives == 0) {
      return Double.NaN;
    }
    double area = 0;
    double prevRecall = 0;
    double prevPrecision = 1;
    for (int i = 0; i < tp.length; i++) {
      double recall = recall(i);
      double precision = precision(i);
      area += (recall - prevRecall) * (precision + prevPrecision) / 2;
      prevRecall = recall;
      prevPrecision = precision;
    }
    return area;
  }

  /** Threshold of point i: positive when score >= it. */
  public double threshold(int i) {
    return thresholds[i];
  }

  /** True positive rate (recall) of point i. */
  public double tpr(int i) {
    return positives == 0 ? Double.NaN : (double) tp[i] / positives;
  }

  /** False positive rate of point i. */
  public double fpr(int i) {
    return negatives == 0 ? Double.NaN : (double) fp[i] / negatives;
  }

  /** Recall of point i (same as its TPR). */
  public double recall(int i) {
    return tpr(i);
  }

  /** Precision of point i. */
  public double precision(int i) {
    return (double) tp[i] / (tp[i] + fp[i]);
  }

  /**
   * At most about {@code 2 / step} points for plots: a point is kept when its FPR or TPR moved by
   * at least {@code step} since the last kept one; the last point is always kept. Each row:
   * threshold, fpr, tpr, precision.
   */
  public List<Map<String, Double>> thinned(double step) {
    List<Map<String, Double>> rows = new ArrayList<>();
    double lastFpr = Double.NEGATIVE_INFINITY;
    double lastTpr = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < thresholds.length; i++) {
      double f = fpr(i);
      double r = tpr(i);
      double fx = Double.isNaN(f) ? 0 : f;
      double rx = Double.isNaN(r) ? 0 : r;
      boolean last = i == thresholds.length - 1;
      if (last || Math.abs(fx - lastFpr) >= step || Math.abs(rx - lastTpr) >= step) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("threshold", thresholds[i]);
        row.put("fpr", f);
        row.put("tpr", r);
        row.put("precision", precision(i));
        rows.add(row);
        lastFpr = fx;
        lastTpr = rx;
      }
    }
    return rows;
  }
}
