package sparktrain.config;

import java.util.Locale;

/**
 * A test metric that {@code retrain} compares between challenger and champion ({@code
 * retrain.metric}, {@code retrain.guard-rails}), with its direction.
 */
public enum RetrainMetric implements ConfigEnum {
  ACCURACY(true),
  F1(true),
  WEIGHTED_F1(true),
  PRECISION(true),
  RECALL(true),
  AUC(true),
  PR_AUC(true),
  R2(true),
  MSE(false),
  RMSE(false),
  MAE(false),
  LOSS(false),
  LOG_LOSS(false);

  private final boolean higherIsBetter;

  RetrainMetric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  /** Whether a larger value is better (accuracy) rather than a smaller one (loss). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Its key in the evaluation's flat metrics ({@code summary.json}): {@code pr-auc} is pr_auc. */
  public String summaryKey() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * How much better {@code challenger} is than {@code champion} in this metric's direction:
   * positive when better, negative when worse, NaN if either is NaN.
   */
  public double improvement(double champion, double challenger) {
    return higherIsBetter ? challenger - champion : champion - challenger;
  }

  /** Parses a config spelling such as {@code "pr-auc"}. */
  public static RetrainMetric fromConfig(String text) {
    return ConfigEnum.parse(RetrainMetric.class, text);
  }
}
