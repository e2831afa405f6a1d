package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mergeable binary classification metrics of predicted probabilities of the positive class (class
 * 1): counts at threshold 0.5, log-loss, and ROC / precision-recall areas.
 *
 * <p>Resolution of the areas: every partition keeps a histogram of the probabilities of positives
 * and of negatives in {@value #BINS} equal bins over [0, 1] (bin {@code floor(p * 10000)}, p = 1 in
 * the last bin); the driver adds the histograms and integrates the curves with trapezoids at the
 * bin edges. Binning only matters for a positive and a negative in the same bin, which count as
 * half ordered, so the histogram ROC AUC is within {@link #aucMaxError()} = ½ · Σ_bins
 * positives·negatives / (P·N) of the exact AUC (≤ 0.5 · 10⁻⁴ for scores spread evenly). While the
 * whole data set has at most {@code exactLimit} finite outputs (default {@value
 * #DEFAULT_EXACT_LIMIT}), the scores themselves are kept too and both areas are exact (ties between
 * equal scores count as half ordered); {@link #aucMethod()} says which was used. The threshold
 * curve for reports is read from the histogram at thresholds 0.00, 0.01, ..., 0.99.
 */
public final class BinaryClassificationMetrics implements EvaluationResult, Serializable {
  private static final long serialVersionUID = 1L;

  /** Histogram bins over [0, 1]. */
  public static final int BINS = 10_000;

  /** Finite outputs up to which the exact scores are kept and the areas are exact. */
  public static final int DEFAULT_EXACT_LIMIT = 100_000;

  /** Probability at or above which an example is predicted positive. */
  public static final double THRESHOLD = 0.5;

  private static final int CURVE_STEPS = 100;

  private final ClassificationMetrics counts = new ClassificationMetrics(2, 1, false);
  private final long[] positiveBins = new long[BINS];
  private final long[] negativeBins = new long[BINS];
  private final int exactLimit;
  private double logLossSum;
  // Exact scores while the total stays within exactLimit; null once dropped.
  private double[] positiveScores = new double[16];
  private double[] negativeScores = new double[16];
  private int positiveCount;
  private int negativeCount;

  /** Empty metrics keeping exact scores up to {@value #DEFAULT_EXACT_LIMIT} outputs. */
  public BinaryClassificationMetrics() {
    this(DEFAULT_EXACT_LIMIT);
  }

  /**
   * Empty metrics.
   *
   * @param exactLimit keep the exact scores while there are at most this many finite outputs in all
   *     (0: always use the histogram)
   */
  public BinaryClassificationMetrics(int exactLimit) {
    if (exactLimit < 0) {
      throw new IllegalArgumentException("exactLimit must be >= 0, got " + exactLimit);
    }
    this.exactLimit = exactLimit;
    if (exactLimit == 0) {
      positiveScores = null;
      negativeScores = null;
    }
  }

  /**
   * Adds one example with a finite predicted probability of the positive class.
   *
   * @throws IllegalArgumentException if {@code probability} is NaN (count those with {@link
   *     #addNonFinite()})
   */
  public void add(boolean positive, double probability) {
    if (Double.isNaN(probability)) {
      throw new IllegalArgumentException("probability is NaN: count it with addNonFinite()");
    }
    double p = Math.min(1, Math.max(0, probability));
    counts.add(positive ? 1 : 0, p >= THRESHOLD ? 1 : 0);
    logLossSum += ClassificationMetrics.logLoss(positive ? p : 1 - p);
    int bin = Math.min(BINS - 1, (int) (p * BINS));
    if (positive) {
      positiveBins[bin]++;
    } else {
      negativeBins[bin]++;
    }
    if (positiveScores != null) {
      if (positiveCount + negativeCount + 1 > exactLimit) {
        dropExact();
      } else if (positive) {
        positiveScores = append(positiveScores, positiveCount++, p);
      } else {
        negativeScores = append(negativeScores, negativeCount++, p);
      }
    }
  }

  private static double[] append(double[] a, int size, double v) {
    double[] out = size == a.length ? Arrays.copyOf(a, Math.max(16, 2 * a.length)) : a;
    out[size] = v;
    return out;
  }

  private void dropExact() {
    positiveScores = null;
    negativeScores = null;
    positiveCount = 0;
    negativeCount = 0;
  }

  /** Adds the summed loss (the network's loss function) of {@code examples} examples. */
  @Override
  public void addLoss(double sum, long examples) {
    counts.addLoss(sum, examples);
  }

  /** Counts an example whose output was NaN or infinite; it is not scored. */
  @Override
  public void addNonFinite() {
    counts.addNonFinite();
  }

  /** Adds {@code other} into this and returns this. */
  public BinaryClassificationMetrics merge(BinaryClassificationMetrics other) {
    if (other.exactLimit != exactLimit) {
      throw new IllegalArgumentException(
          "cannot merge binary metrics with exact limit "
              + other.exactLimit
              + " into exact limit "
              + exactLimit);
    }
    counts.merge(other.counts);
    logLossSum += other.logLossSum;
    for (int b = 0; b < BINS; b++) {
      positiveBins[b] += other.positiveBins[b];
      negativeBins[b] += other.negativeBins[b];
    }
    if (positiveScores != null && other.positiveScores != null) {
      long total = (long) positiveCount + negativeCount + other.positiveCount + other.negativeCount;
      if (total > exactLimit) {
        dropExact();
      } else {
        positiveScores =
            concat(positiveScores, positiveCount, other.positiveScores, other.positiveCount);
        negativeScores =
            concat(negativeScores, negativeCount, other.negativeScores, other.negativeCount);
        positiveCount += other.positiveCount;
        negativeCount += other.negativeCount;
      }
    } else {
      dropExact();
    }
    return this;
  }

  private static double[] concat(double[] a, int na, double[] b, int nb) {
    double[] out = Arrays.copyOf(a, na + nb);
    System.arraycopy(b, 0, out, na, nb);
    return out;
  }

  @Override
  public String kind() {
    return "binary";
  }

  @Override
  public long examples() {
    return counts.examples();
  }

  @Override
  public long nonFiniteOutputs() {
    return counts.nonFiniteOutputs();
  }

  /** Examples with finite outputs. */
  public long scored() {
    return counts.scored();
  }

  /** Counts at threshold 0.5, rows = actual (0, 1), columns = predicted. */
  public ClassificationMetrics counts() {
    return counts;
  }

  /** True positives at threshold 0.5. */
  public long truePositives() {
    return counts.confusion()[1][1];
  }

  /** False positives at threshold 0.5. */
  public long falsePositives() {
    return counts.confusion()[0][1];
  }

  /** True negatives at threshold 0.5. */
  public long trueNegatives() {
    return counts.confusion()[0][0];
  }

  /** False negatives at threshold 0.5. */
  public long falseNegatives() {
    return counts.confusion()[1][0];
  }

  /** Accuracy at threshold 0.5 (NaN when nothing was scored). */
  public double accuracy() {
    return counts.accuracy();
  }

  /** Precision of the positive class at threshold 0.5 (0 when nothing is predicted positive). */
  public double precision() {
    return scored() == 0 ? Double.NaN : counts.precision(1);
  }

  /** Recall of the positive class at threshold 0.5 (0 when there are no positives). */
  public double recall() {
    return scored() == 0 ? Double.NaN : counts.recall(1);
  }

  /** F1 of the positive class at threshold 0.5. */
  public double f1() {
    return scored() == 0 ? Double.NaN : counts.f1(1);
  }

  /** Mean network loss per scored example. */
  public double meanLoss() {
    return counts.meanLoss();
  }

  /** Mean binary cross-entropy of the probabilities, clipped to [1e-15, 1 - 1e-15]. */
  public double logLoss() {
    long n = scored();
    return n == 0 ? Double.NaN : logLossSum / n;
  }

  /** Whether the exact scores were kept (the areas are exact). */
  public boolean exact() {
    return positiveScores != null;
  }

  /** {@code "exact"} or {@code "histogram"}. */
  public String aucMethod() {
    return exact() ? "exact" : "histogram";
  }

  /** The ROC / PR curve the areas come from: exact scores when kept, else the histogram. */
  public BinaryCurve curve() {
    return exact()
        ? BinaryCurve.ofScores(
            Arrays.copyOf(positiveScores, positiveCount),
            Arrays.copyOf(negativeScores, negativeCount))
        : histogramCurve();
  }

  /** The curve of the histogram, at the bin edges. */
  public BinaryCurve histogramCurve() {
    double[] thresholds = new double[BINS];
    long[] pos = new long[BINS];
    long[] neg = new long[BINS];
    for (int i = 0; i < BINS; i++) {
      int b = BINS - 1 - i;
      thresholds[i] = (double) b / BINS;
      pos[i] = positiveBins[b];
      neg[i] = negativeBins[b];
    }
    return BinaryCurve.ofGroups(thresholds, pos, neg);
  }

  /** Area under the ROC curve (NaN without both classes). */
  public double auc() {
    return curve().rocAuc();
  }

  /** Area under the precision-recall curve (NaN without positives). */
  public double prAuc() {
    return curve().prAuc();
  }

  /** Bound on |reported AUC - exact AUC|: 0 when exact, else the histogram's tie bound. */
  public double aucMaxError() {
    return exact() ? 0 : histogramCurve().rocAucMaxError(false);
  }

  /** Copies of the per-bin counts of positives ({@code true}) or negatives. */
  public long[] histogram(boolean positives) {
    return (positives ? positiveBins : negativeBins).clone();
  }

  /**
   * Counts and rates at thresholds 0.00, 0.01, ..., 0.99 (positive when p >= threshold, at the
   * histogram's bin edges). Each row: threshold, tp, fp, tn, fn, tpr, fpr, precision.
   */
  public List<Map<String, Object>> thresholdCurve() {
    long p = 0;
    long n = 0;
    for (int b = 0; b < BINS; b++) {
      p += positiveBins[b];
      n += negativeBins[b];
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    long tp = 0;
    long fp = 0;
    int binsPerStep = BINS / CURVE_STEPS;
    int b = BINS;
    for (int step = CURVE_STEPS - 1; step >= 0; step--) {
      int from = step * binsPerStep;
      while (b > from) {
        b--;
        tp += positiveBins[b];
        fp += negativeBins[b];
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("threshold", (double) step / CURVE_STEPS);
      r.put("tp", tp);
      r.put("fp", fp);
      r.put("tn", n - fp);
      r.put("fn", p - tp);
      r.put("tpr", p == 0 ? Double.NaN : (double) tp / p);
      r.put("fpr", n == 0 ? Double.NaN : (double) fp / n);
      r.put("precision", tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp));
      rows.add(0, r);
    }
    return rows;
  }

  /**
   * The headline metrics: accuracy, precision, recall, f1 (all of the positive class at 0.5), auc
   * (ROC), pr_auc, loss, log_loss, examples, non_finite_outputs.
   */
  @Override
  public Map<String, Double> summary() {
    BinaryCurve c = curve();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy());
    m.put("precision", precision());
    m.put("recall", recall());
    m.put("f1", f1());
    m.put("auc", c.rocAuc());
    m.put("pr_auc", c.prAuc());
    m.put("loss", meanLoss());
    m.put("log_loss", logLoss());
    m.put("examples", (double) examples());
    m.put("non_finite_outputs", (double) nonFiniteOutputs());
    return m;
  }

  /**
   * Summary, counts at 0.5, how the areas were computed and their resolution, the threshold curve
   * (0.00 to 0.99) and the ROC curve thinned to steps of 0.005.
   */
  @Override
  public Map<String, Object> detail() {
    BinaryCurve c = curve();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("kind", kind());
    d.put("summary", summary());
    d.put("threshold", THRESHOLD);
    d.put("tp", truePositives());
    d.put("fp", falsePositives());
    d.put("tn", trueNegatives());
    d.put("fn", falseNegatives());
    d.put("positives", c.positives());
    d.put("negatives", c.negatives());
    d.put("auc_method", aucMethod());
    d.put("histogram_bins", BINS);
    d.put("auc_max_error", aucMaxError());
    d.put("per_class", counts.perClass());
    d.put("confusion_matrix", counts.confusion());
    d.put("threshold_curve", thresholdCurve());
    d.put("roc_curve", c.thinned(0.005));
    return d;
  }
}
