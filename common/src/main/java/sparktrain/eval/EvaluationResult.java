package sparktrain.eval;

import java.util.Map;

/**
 * Metrics of a model on a data set, whatever the kind of workload. Every implementation is also the
 * mergeable accumulator the executors fill, so the same object travels from a partition to the
 * driver.
 *
 * <p>Examples whose network output holds NaN or Inf are never scored: they are counted in {@link
 * #nonFiniteOutputs()} (and in {@link #examples()}) and the metrics describe the other examples;
 * with no finite output at all, every metric is NaN.
 */
public sealed interface EvaluationResult
    permits ClassificationMetrics, BinaryClassificationMetrics, RegressionMetrics {

  /** {@code "multiclass"}, {@code "binary"} or {@code "regression"}. */
  String kind();

  /** Examples evaluated, including those with non-finite outputs. */
  long examples();

  /** Examples whose output held NaN or an infinity. */
  long nonFiniteOutputs();

  /**
   * Flat headline metrics for {@code metrics.jsonl} and {@code summary.json}. Always {@code loss},
   * {@code examples} and {@code non_finite_outputs}; classification adds {@code accuracy} and
   * {@code f1} (binary: also {@code auc}, {@code pr_auc}); regression adds {@code mse}, {@code
   * rmse}, {@code mae} and {@code r2}. Values are NaN where undefined.
   */
  Map<String, Double> summary();

  /** Counts an example whose output held NaN or an infinity; it is not scored. */
  void addNonFinite();

  /** Adds the summed loss (the network's own loss function) of {@code examples} scored examples. */
  void addLoss(double sum, long examples);

  /**
   * Everything a report needs (per-class tables, confusion matrix, threshold curve, residual
   * histograms), as maps, lists and arrays with snake_case keys, ready for JSON.
   */
  Map<String, Object> detail();
}
