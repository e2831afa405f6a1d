package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mergeable regression metrics per output column: MSE, RMSE, MAE, R² and a residual histogram.
 *
 * <p>Each column keeps n, the mean and the sum of squared deviations of the target (Welford; merged
 * with Chan's formula, so SST does not suffer the cancellation of Σy² − (Σy)²/n), the sums of
 * squared and absolute errors and of residuals, and a {@link ResidualHistogram} of the residuals
 * {@code y − ŷ}. R² = 1 − SSE/SST (NaN when the targets are constant). A row whose output holds NaN
 * or Inf in any column is counted in {@link #nonFiniteOutputs()} and not scored.
 */
public final class RegressionMetrics implements EvaluationResult, Serializable {
  private static final long serialVersionUID = 2L;

  private final long[] n;
  private final double[] meanY;
  private final double[] m2Y; // sum of squared deviations of the target from its mean
  private final double[] sse;
  private final double[] sae;
  private final double[] sumResidual;
  private final ResidualHistogram[] residuals;
  private final LossTally tally = new LossTally();

  /** Empty metrics for {@code columns} output columns. */
  public RegressionMetrics(int columns) {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be >= 1, got " + columns);
    }
    n = new long[columns];
    meanY = new double[columns];
    m2Y = new double[columns];
    sse = new double[columns];
    sae = new double[columns];
    sumResidual = new double[columns];
    residuals = new ResidualHistogram[columns];
    for (int c = 0; c < columns; c++) {
      residuals[c] = new ResidualHistogram();
    }
  }

  /** Number of output columns. */
  public int columns() {
    return n.length;
  }

  /**
   * Adds one example with finite predictions.
   *
   * @throws IllegalArgumentException if the arrays do not have {@link #columns()} values
   */
  public void add(double[] target, double[] prediction) {
    add(target, 0, target.length, prediction, 0, prediction.length);
  }

  /**
   * As {@link #add(double[], double[])} for one row inside larger arrays: {@code targetWidth}
   * targets from {@code t}, {@code predictionWidth} predictions from {@code p}.
   */
  void add(
      double[] target, int t, int targetWidth, double[] prediction, int p, int predictionWidth) {
    if (targetWidth != n.length || predictionWidth != n.length) {
      throw new IllegalArgumentException(
          "expected "
              + n.length
              + " target and prediction columns, got "
              + targetWidth
              + " and "
              + predictionWidth);
    }
    for (int c = 0; c < n.length; c++) {
      double y = target[t + c];
      double r = y - prediction[p + c];
      n[c]++;
      double delta = y - meanY[c];
      meanY[c] += delta / n[c];
      m2Y[c] += delta * (y - meanY[c]);
      sse[c] += r * r;
      sae[c] += Math.abs(r);
      sumResidual[c] += r;
      residuals[c].add(r);
    }
  }

  /** Adds the summed loss (the network's loss function) of {@code examples} examples. */
  @Override
  public void addLoss(double sum, long examples) {
    tally.addLoss(sum, examples);
  }

  /** Counts an example whose output was NaN or infinite; it is not scored. */
  @Override
  public void addNonFinite() {
    tally.addNonFinite();
  }

  /** Adds {@code other} into this and returns this. */
  public RegressionMetrics merge(RegressionMetrics other) {
    if (other.columns() != columns()) {
      throw new IllegalArgumentException(
          "cannot merge regression metrics of " + other.columns() + " columns into " + columns());
    }
    for (int c = 0; c < n.length; c++) {
      long na = n[c];
      long nb = other.n[c];
      long total = na + nb;
      if (nb > 0) {
        double delta = other.meanY[c] - meanY[c];
        meanY[c] += delta * nb / total;
        m2Y[c] += other.m2Y[c] + delta * delta * ((double) na * nb / total);
      }
      n[c] = total;
      sse[c] += other.sse[c];
      sae[c] += other.sae[c];
      sumResidual[c] += other.sumResidual[c];
      residuals[c].merge(other.residuals[c]);
    }
    tally.merge(other.tally);
    return this;
  }

  @Override
  public String kind() {
    return "regression";
  }

  /** Examples scored (finite outputs). */
  public long scored() {
    return n[0];
  }

  @Override
  public long examples() {
    return scored() + tally.nonFinite();
  }

  @Override
  public long nonFiniteOutputs() {
    return tally.nonFinite();
  }

  /** Mean squared error of column c (NaN when nothing was scored). */
  public double mse(int c) {
    return n[c] == 0 ? Double.NaN : sse[c] / n[c];
  }

  /** Root mean squared error of column c. */
  public double rmse(int c) {
    return Math.sqrt(mse(c));
  }

  /** Mean absolute error of column c. */
  public double mae(int c) {
    return n[c] == 0 ? Double.NaN : sae[c] / n[c];
  }

  /** Mean residual y − ŷ of column c (positive: the model predicts too low). */
  public double meanResidual(int c) {
    return n[c] == 0 ? Double.NaN : sumResidual[c] / n[c];
  }

  /** Mean target of column c. */
  public double meanTarget(int c) {
    return n[c] == 0 ? Double.NaN : meanY[c];
  }

  /** Sum of squared errors of column c. */
  public double sse(int c) {
    return sse[c];
  }

  /** Total sum of squares of the target of column c around its mean. */
  public double sst(int c) {
    return m2Y[c];
  }

  /** Coefficient of determination 1 − SSE/SST of column c (NaN when SST = 0 or nothing scored). */
  public double r2(int c) {
    return n[c] == 0 || m2Y[c] == 0 ? Double.NaN : 1 - sse[c] / m2Y[c];
  }

  /** The residual histogram of column c. */
  public ResidualHistogram residualHistogram(int c) {
    return residuals[c];
  }

  /** Mean network loss per scored example (NaN when none). */
  public double meanLoss() {
    return tally.meanLoss();
  }

  /**
   * The headline metrics: mse, rmse, mae, r2 (each the unweighted mean over the output columns),
   * loss, examples, non_finite_outputs.
   */
  @Override
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("mse", columnMean(this::mse));
    m.put("rmse", columnMean(this::rmse));
    m.put("mae", columnMean(this::mae));
    m.put("r2", columnMean(this::r2));
    m.put("loss", meanLoss());
    m.put("examples", (double) examples());
    m.put("non_finite_outputs", (double) nonFiniteOutputs());
    return m;
  }

  private double columnMean(java.util.function.IntToDoubleFunction f) {
    double sum = 0;
    for (int c = 0; c < n.length; c++) {
      sum += f.applyAsDouble(c);
    }
    return sum / n.length;
  }

  /** Summary plus, per column: n, mean target, mse, rmse, mae, r2, mean residual, histogram. */
  @Override
  public Map<String, Object> detail() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("kind", kind());
    d.put("summary", summary());
    d.put("residual", "target - prediction");
    List<Map<String, Object>> cols = new ArrayList<>();
    for (int c = 0; c < n.length; c++) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("column", c);
      col.put("n", n[c]);
      col.put("mean_target", meanTarget(c));
      col.put("mse", mse(c));
      col.put("rmse", rmse(c));
      col.put("mae", mae(c));
      col.put("r2", r2(c));
      col.put("mean_residual", meanResidual(c));
      col.put("residual_histogram", residuals[c].toMap());
      cols.add(col);
    }
    d.put("columns", cols);
    return d;
  }
}
