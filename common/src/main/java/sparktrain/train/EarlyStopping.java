package sparktrain.train;

import java.util.LinkedHashMap;
import java.util.Map;
import sparktrain.config.EarlyStoppingConfig;

/**
 * The driver's early-stopping state between epochs (Keras's {@code EarlyStopping} rule): the best
 * validation value and its epoch, and the epochs since it. Saved in every epoch's metrics row, so
 * in every checkpoint's manifest, and restored from there on resume.
 */
final class EarlyStopping {
  static final String ROW_KEY = "early_stopping";

  private final EarlyStoppingConfig config;
  private double best;
  private int bestEpoch;
  private int wait;
  private String stopReason;

  EarlyStopping(EarlyStoppingConfig config) {
    this.config = config;
    this.best = config.minimize() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /**
   * The state saved in a metrics row ({@link #state}), or a fresh one when the row has none (a run
   * without early stopping before).
   */
  static EarlyStopping restore(EarlyStoppingConfig config, Map<?, ?> row) {
    EarlyStopping s = new EarlyStopping(config);
    Object saved = row == null ? null : row.get(ROW_KEY);
    if (saved instanceof Map<?, ?> m && config.metric().equals(m.get("metric"))) {
      s.bestEpoch = ((Number) m.get("best_epoch")).intValue();
      Object best = m.get("best");
      if (best instanceof Number n && s.bestEpoch > 0) {
        s.best = n.doubleValue();
      }
      s.wait = ((Number) m.get("wait")).intValue();
      if (m.get("stop_reason") instanceof String reason) {
        s.stopReason = reason;
      }
    }
    return s;
  }

  /**
   * Takes epoch {@code epoch}'s validation metrics; returns whether training stops after it.
   *
   * @throws IllegalStateException when the metric is missing (the config check rules that out)
   */
  boolean update(int epoch, Map<String, Double> validation) {
    Double value = validation.get(config.metric());
    if (value == null) {
      throw new IllegalStateException(
          "validation metrics of epoch " + epoch + " have no " + config.metric());
    }
    if (improves(value, best, config.minimize(), config.minDelta())) {
      best = value;
      bestEpoch = epoch;
      wait = 0;
      return false;
    }
    wait++;
    if (wait >= config.patience()) {
      stopReason =
          String.format(
              java.util.Locale.ROOT,
              "validation %s did not improve by more than %s for %d epoch(s) (patience %d);"
                  + " best %.6f at epoch %d",
              config.metric(),
              config.minDelta(),
              wait,
              config.patience(),
              best,
              bestEpoch);
      return true;
    }
    return false;
  }

  /**
   * Keras's comparison (EarlyStopping, ReduceLROnPlateau): {@code value} improves on {@code best}
   * when it is better by more than {@code minDelta}; NaN never does.
   */
  static boolean improves(double value, double best, boolean minimize, double minDelta) {
    return !Double.isNaN(value) && (minimize ? value < best - minDelta : value > best + minDelta);
  }

  int bestEpoch() {
    return bestEpoch;
  }

  /** Why training stopped, or null while it goes on. */
  String stopReason() {
    return stopReason;
  }

  /** The state as saved in a metrics row. */
  Map<String, Object> state() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", config.metric());
    m.put("best", bestEpoch > 0 ? best : null);
    m.put("best_epoch", bestEpoch);
    m.put("wait", wait);
    m.put("stop_reason", stopReason);
    return m;
  }

  /** Whether the restored state is of a run that had already stopped. */
  boolean stoppedBefore() {
    return stopReason != null;
  }

  /** Whether the epoch just taken by {@link #update} is the best so far. */
  boolean bestIs(int epoch) {
    return bestEpoch == epoch;
  }

  /**
   * The outcome for summary.json.
   *
   * @param stoppedEpoch the epoch training stopped after, 0 when it ran every epoch
   */
  Map<String, Object> outcome(int stoppedEpoch, boolean restoredBest) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", config.metric());
    m.put("mode", config.minimize() ? "min" : "max");
    m.put("patience", config.patience());
    m.put("stopped_epoch", stoppedEpoch > 0 ? stoppedEpoch : null);
    m.put("best_epoch", bestEpoch);
    m.put("best", bestEpoch > 0 ? best : null);
    m.put("restored_best", restoredBest);
    m.put(
        "reason",
        stopReason != null
            ? stopReason
            : "ran every epoch: validation " + config.metric() + " improved within the patience");
    return m;
  }
}
