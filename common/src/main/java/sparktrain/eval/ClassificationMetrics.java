package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mergeable multiclass classification counts: a confusion matrix, the summed loss, log-loss and
 * top-k hits, and the number of examples whose network output held NaN or Inf. Executors fill one
 * per partition; the driver merges them, so no prediction ever travels to the driver.
 *
 * <p>Metrics describe the examples with finite outputs ({@link #scored()}); examples with a NaN or
 * infinite output are not predictions: they are counted in {@link #nonFiniteOutputs()} and in
 * {@link #examples()}, never scored. With no finite output at all, every metric is NaN.
 */
public final class ClassificationMetrics implements EvaluationResult, Serializable {
  private static final long serialVersionUID = 3L;

  /** Probabilities are clipped to [EPS, 1 - EPS] in the log-loss (as scikit-learn does). */
  static final double LOG_LOSS_EPS = 1e-15;

  private final long[][] confusion; // [actual][predicted]
  private final int topK;
  private final boolean probabilistic;
  private final LossTally tally = new LossTally();
  private double logLossSum;
  private long logLossExamples;
  private long topKHits;

  /** Empty counts for {@code numClasses} classes of probabilistic outputs, top-5 accuracy. */
  public ClassificationMetrics(int numClasses) {
    this(numClasses, EvaluationPlan.DEFAULT_TOP_K, true);
  }

  /**
   * Empty counts for {@code numClasses} classes.
   *
   * @param topK the k of the top-k accuracy
   * @param probabilistic whether the outputs are class probabilities (softmax, sigmoid): only then
   *     are log-loss and top-k accuracy part of the summary
   */
  public ClassificationMetrics(int numClasses, int topK, boolean probabilistic) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, got " + topK);
    }
    this.confusion = new long[numClasses][numClasses];
    this.topK = topK;
    this.probabilistic = probabilistic;
  }

  /** Counts one example by its predicted class only (no log-loss, no top-k). */
  public void add(int actual, int predicted) {
    confusion[actual][predicted]++;
  }

  /**
   * Counts one example from its class probabilities: predicted is the most probable class (the
   * first on ties), plus its log-loss and whether the actual class is among the top k (ties at the
   * boundary count as hits).
   */
  public void addProbabilities(int actual, double[] probabilities) {
    addProbabilities(actual, probabilities, 0, probabilities.length);
  }

  /**
   * As {@link #addProbabilities(int, double[])} for the {@code classes} probabilities of one row
   * that start at {@code from} in a larger array.
   */
  void addProbabilities(int actual, double[] rows, int from, int classes) {
    int predicted = 0;
    int higher = 0;
    double pActual = rows[from + actual];
    for (int c = 0; c < classes; c++) {
      double p = rows[from + c];
      if (p > rows[from + predicted]) {
        predicted = c;
      }
      if (p > pActual) {
        higher++;
      }
    }
    add(actual, predicted);
    logLossSum += logLoss(pActual);
    logLossExamples++;
    if (higher < topK) {
      topKHits++;
    }
  }

  /** {@code -ln(p)} with p clipped to [1e-15, 1 - 1e-15]. */
  static double logLoss(double p) {
    return -Math.log(Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p)));
  }

  /** Adds the summed loss of {@code examples} examples. */
  @Override
  public void addLoss(double sum, long examples) {
    tally.addLoss(sum, examples);
  }

  /** Counts an example whose output was NaN or infinite (it is not in the confusion matrix). */
  @Override
  public void addNonFinite() {
    tally.addNonFinite();
  }

  /** Adds {@code other} into this and returns this. */
  public ClassificationMetrics merge(ClassificationMetrics other) {
    if (other.confusion.length != confusion.length
        || other.topK != topK
        || other.probabilistic != probabilistic) {
      throw new IllegalArgumentException(
          "cannot merge metrics of "
              + other.confusion.length
              + " classes (top-"
              + other.topK
              + ") into "
              + confusion.length
              + " classes (top-"
              + topK
              + ")");
    }
    for (int i = 0; i < confusion.length; i++) {
      for (int j = 0; j < confusion.length; j++) {
        confusion[i][j] += other.confusion[i][j];
      }
    }
    tally.merge(other.tally);
    logLossSum += other.logLossSum;
    logLossExamples += other.logLossExamples;
    topKHits += other.topKHits;
    return this;
  }

  @Override
  public String kind() {
    return "multiclass";
  }

  /** Number of classes. */
  public int numClasses() {
    return confusion.length;
  }

  /** The k of {@link #topKAccuracy()}. */
  public int topK() {
    return topK;
  }

  /** Copy of the confusion matrix, rows = actual class, columns = predicted class. */
  public long[][] confusion() {
    long[][] c = new long[confusion.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = confusion[i].clone();
    }
    return c;
  }

  /** Examples with finite outputs (those in the confusion matrix). */
  public long scored() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  @Override
  public long examples() {
    return scored() + tally.nonFinite();
  }

  @Override
  public long nonFiniteOutputs() {
    return tally.nonFinite();
  }

  /** Fraction of the scored examples predicted correctly (NaN when none was scored). */
  public double accuracy() {
    long correct = 0;
    for (int i = 0; i < confusion.length; i++) {
      correct += confusion[i][i];
    }
    long n = scored();
    return n == 0 ? Double.NaN : (double) correct / n;
  }

  /** Examples of actual class {@code c}. */
  public long support(int c) {
    long n = 0;
    for (long v : confusion[c]) {
      n += v;
    }
    return n;
  }

  /** Examples predicted as class {@code c}. */
  public long predicted(int c) {
    long n = 0;
    for (long[] row : confusion) {
      n += row[c];
    }
    return n;
  }

  /** Precision of class {@code c} (0 when nothing was predicted as c). */
  public double precision(int c) {
    long predicted = predicted(c);
    return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
  }

  /** Recall of class {@code c} (0 when c never occurs). */
  public double recall(int c) {
    long actual = support(c);
    return actual == 0 ? 0 : (double) confusion[c][c] / actual;
  }

  /** F1 of class {@code c}. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Unweighted mean of the per-class F1 over the classes that occur or are predicted. */
  public double macroF1() {
    double sum = 0;
    int classes = 0;
    for (int c = 0; c < confusion.length; c++) {
      if (support(c) + predicted(c) > 0) {
        sum += f1(c);
        classes++;
      }
    }
    return classes == 0 ? Double.NaN : sum / classes;
  }

  /** Mean of the per-class F1 weighted by each class's support (NaN when none was scored). */
  public double weightedF1() {
    double sum = 0;
    long n = 0;
    for (int c = 0; c < confusion.length; c++) {
      long s = support(c);
      sum += s * f1(c);
      n += s;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Mean loss per scored example (the network's loss function; NaN when no loss was added). */
  public double meanLoss() {
    return tally.meanLoss();
  }

  /**
   * Mean {@code -ln p(actual class)} over the examples added with probabilities (NaN when none;
   * probabilities clipped to [1e-15, 1 - 1e-15]).
   */
  public double logLoss() {
    return logLossExamples == 0 ? Double.NaN : logLossSum / logLossExamples;
  }

  /**
   * Fraction of the examples added with probabilities whose actual class is among the k most
   * probable (NaN when none).
   */
  public double topKAccuracy() {
    return logLossExamples == 0 ? Double.NaN : (double) topKHits / logLossExamples;
  }

  /** Whether the outputs are class probabilities (log-loss and top-k are in the summary). */
  public boolean probabilistic() {
    return probabilistic;
  }

  /**
   * The headline metrics: accuracy, f1 (macro), weighted_f1, loss, then log_loss and
   * top{k}_accuracy (when the outputs are probabilities), examples and non_finite_outputs.
   */
  @Override
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy());
    m.put("f1", macroF1());
    m.put("weighted_f1", weightedF1());
    m.put("loss", meanLoss());
    if (probabilistic) {
      m.put("log_loss", logLoss());
      m.put(topKKey(), topKAccuracy());
    }
    m.put("examples", (double) examples());
    m.put("non_finite_outputs", (double) nonFiniteOutputs());
    return m;
  }

  String topKKey() {
    return "top" + topK + "_accuracy";
  }

  /** Summary plus per-class precision/recall/F1/support and the confusion matrix. */
  @Override
  public Map<String, Object> detail() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("kind", kind());
    d.put("num_classes", numClasses());
    d.put("summary", summary());
    d.put("top_k", topK);
    d.put("per_class", perClass());
    d.put("confusion_matrix", confusion());
    d.put("confusion_matrix_layout", "rows = actual class, columns = predicted class");
    return d;
  }

  /** Per-class rows: class, support, predicted, precision, recall, f1. */
  public List<Map<String, Object>> perClass() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int c = 0; c < confusion.length; c++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("class", c);
      r.put("support", support(c));
      r.put("predicted", predicted(c));
      r.put("precision", precision(c));
      r.put("recall", recall(c));
      r.put("f1", f1(c));
      rows.add(r);
    }
    return rows;
  }
}
