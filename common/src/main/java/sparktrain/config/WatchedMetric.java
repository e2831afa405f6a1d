package sparktrain.config;

import java.util.List;
import java.util.Set;

/** The validation metrics early stopping and the plateau schedule can watch, by task. */
final class WatchedMetric {

  private static final Set<String> LOWER_IS_BETTER =
      Set.of("loss", "log_loss", "mse", "rmse", "mae");

  private WatchedMetric() {}

  /** The metrics the evaluation of {@code task} reports. */
  static List<String> of(Task task) {
    return switch (task) {
      case REGRESSION -> List.of("loss", "mse", "rmse", "mae", "r2");
      case BINARY ->
          List.of("loss", "log_loss", "accuracy", "precision", "recall", "f1", "auc", "pr_auc");
      default -> List.of("loss", "log_loss", "accuracy", "f1", "weighted_f1");
    };
  }

  /** Whether {@code metric} improves downwards under {@code mode}. */
  static boolean minimize(String metric, MetricMode mode) {
    return switch (mode) {
      case MIN -> true;
      case MAX -> false;
      case AUTO -> LOWER_IS_BETTER.contains(metric);
    };
  }
}
