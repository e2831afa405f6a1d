package sparktrain.eval;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mergeable classification counts: a confusion matrix, the summed loss and the number of examples
 * whose network output held NaN or Inf. Executors fill one per partition; the driver merges them,
 * so no prediction ever travels to the driver.
 */
public final class ClassificationMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[][] confusion; // [actual][predicted]
  private double lossSum;
  private long lossExamples;
  private long nonFinite;

  /** Empty counts for {@code numClasses} classes. */
  public ClassificationMetrics(int numClasses) {
    this.confusion = new long[numClasses][numClasses];
  }

  /** Counts one example. */
  public void add(int actual, int predicted) {
    confusion[actual][predicted]++;
  }

  /** Adds the summed loss of {@code examples} examples. */
  public void addLoss(double sum, long examples) {
    lossSum += sum;
    lossExamples += examples;
  }

  /** Counts an example whose output was NaN or infinite (it is not in the confusion matrix). */
  public void addNonFinite() {
    nonFinite++;
  }

  /** Adds {@code other} into this and returns this. */
  public ClassificationMetrics merge(ClassificationMetrics other) {
    for (int i = 0; i < confusion.length; i++) {
      for (int j = 0; j < confusion.length; j++) {
        confusion[i][j] += other.confusion[i][j];
      }
    }
    lossSum += other.lossSum;
    lossExamples += other.lossExamples;
    nonFinite += other.nonFinite;
    return this;
  }

  /** Number of classes. */
  public int numClasses() {
    return confusion.length;
  }

  /** Copy of the confusion matrix, rows = actual class, columns = predicted class. */
  public long[][] confusion() {
    long[][] c = new long[confusion.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = confusion[i].clone();
    }
    return c;
  }

  /** Examples counted in the confusion matrix. */
  public long examples() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  /** Examples whose output was NaN or infinite. */
  public long nonFinite() {
    return nonFinite;
  }

  /** Fraction of examples predicted correctly (NaN when there are none). */
  public double accuracy() {
    long correct = 0;
    for (int i = 0; i < confusion.length; i++) {
      correct += confusion[i][i];
    }
    long n = examples() + nonFinite;
    return n == 0 ? Double.NaN : (double) correct / n;
  }

  /** Precision of class {@code c} (0 when nothing was predicted as c). */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : confusion) {
      predicted += row[c];
    }
    return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
  }

  /** Recall of class {@code c} (0 when c never occurs). */
  public double recall(int c) {
    long actual = 0;
    for (long v : confusion[c]) {
      actual += v;
    }
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
      if (recallDenominator(c) + precisionDenominator(c) > 0) {
        sum += f1(c);
        classes++;
      }
    }
    return classes == 0 ? Double.NaN : sum / classes;
  }

  /** Mean loss per example (NaN when no loss was added). */
  public double meanLoss() {
    return lossExamples == 0 ? Double.NaN : lossSum / lossExamples;
  }

  /** The headline metrics: accuracy, macro F1, loss, examples, non-finite outputs. */
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy());
    m.put("f1", macroF1());
    m.put("loss", meanLoss());
    m.put("examples", (double) (examples() + nonFinite));
    m.put("non_finite_outputs", (double) nonFinite);
    return m;
  }

  private long recallDenominator(int c) {
    long n = 0;
    for (long v : confusion[c]) {
      n += v;
    }
    return n;
  }

  private long precisionDenominator(int c) {
    long n = 0;
    for (long[] row : confusion) {
      n += row[c];
    }
    return n;
  }
}
