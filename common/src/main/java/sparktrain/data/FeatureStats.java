package sparktrain.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-feature count, mean, sum of squared deviations, minimum and maximum, accumulated one example
 * at a time (Welford) and merged across partitions (Chan et al.), so that a {@code treeAggregate}
 * computes them on the executors in one pass with the accuracy of a two-pass computation.
 */
public final class FeatureStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private double[] mean;
  private double[] m2;
  private double[] min;
  private double[] max;

  /** Empty statistics (the width is taken from the first example). */
  public FeatureStats() {}

  /** Adds one example's features. */
  public FeatureStats add(float[] x) {
    if (mean == null) {
      allocate(x.length);
    }
    checkWidth(x.length);
    count++;
    for (int j = 0; j < x.length; j++) {
      double v = x[j];
      double d = v - mean[j];
      mean[j] += d / count;
      m2[j] += d * (v - mean[j]);
      if (v < min[j]) {
        min[j] = v;
      }
      if (v > max[j]) {
        max[j] = v;
      }
    }
    return this;
  }

  /** Adds the statistics of other examples. */
  public FeatureStats merge(FeatureStats o) {
    if (o.count == 0) {
      return this;
    }
    if (count == 0) {
      count = o.count;
      mean = o.mean.clone();
      m2 = o.m2.clone();
      min = o.min.clone();
      max = o.max.clone();
      return this;
    }
    checkWidth(o.mean.length);
    long n = count + o.count;
    for (int j = 0; j < mean.length; j++) {
      double delta = o.mean[j] - mean[j];
      mean[j] += delta * o.count / n;
      m2[j] += o.m2[j] + delta * delta * ((double) count * o.count / n);
      min[j] = Math.min(min[j], o.min[j]);
      max[j] = Math.max(max[j], o.max[j]);
    }
    count = n;
    return this;
  }

  /** The number of examples. */
  public long count() {
    return count;
  }

  /** The number of features (0 before the first example). */
  public int width() {
    return mean == null ? 0 : mean.length;
  }

  public double[] mean() {
    return copy(mean);
  }

  /** Population standard deviation (divides by the count, as scikit-learn's StandardScaler). */
  public double[] std() {
    double[] s = new double[width()];
    for (int j = 0; j < s.length; j++) {
      s[j] = Math.sqrt(Math.max(0, m2[j] / count));
    }
    return s;
  }

  public double[] min() {
    return copy(min);
  }

  public double[] max() {
    return copy(max);
  }

  private void allocate(int width) {
    mean = new double[width];
    m2 = new double[width];
    min = new double[width];
    max = new double[width];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  private void checkWidth(int width) {
    if (width != mean.length) {
      throw new IllegalStateException(
          "examples of different widths: " + mean.length + " and " + width + " features");
    }
  }

  private static double[] copy(double[] a) {
    return a == null ? new double[0] : a.clone();
  }
}
