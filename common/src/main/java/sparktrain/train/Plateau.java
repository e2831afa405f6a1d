package sparktrain.train;

import java.util.LinkedHashMap;
import java.util.Map;
import sparktrain.config.PlateauConfig;

/**
 * The driver's learning rate on plateau between epochs (Keras's {@code ReduceLROnPlateau} rule):
 * the best validation value, the epochs without improvement, the cooldown left and the current
 * rate. Saved in every epoch's metrics row (so in every checkpoint's manifest) and restored from
 * there on resume; the rate itself is also in the network's configuration, saved with model.zip.
 */
final class Plateau {
  static final String ROW_KEY = "plateau";

  private final PlateauConfig config;
  private double best;
  private int wait;
  private int cooldownLeft;
  private double learningRate;

  Plateau(PlateauConfig config, double learningRate) {
    this.config = config;
    this.best = config.minimize() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    this.learningRate = learningRate;
  }

  /** The state saved in a metrics row, or a fresh one at {@code learningRate} when it has none. */
  static Plateau restore(PlateauConfig config, double learningRate, Map<?, ?> row) {
    Plateau p = new Plateau(config, learningRate);
    Object saved = row == null ? null : row.get(ROW_KEY);
    if (saved instanceof Map<?, ?> m && config.metric().equals(m.get("metric"))) {
      if (m.get("best") instanceof Number n) {
        p.best = n.doubleValue();
      }
      p.wait = ((Number) m.get("wait")).intValue();
      p.cooldownLeft = ((Number) m.get("cooldown_left")).intValue();
      p.learningRate = ((Number) m.get("next_learning_rate")).doubleValue();
    }
    return p;
  }

  /** The rate the next epoch trains with. */
  double learningRate() {
    return learningRate;
  }

  /**
   * Takes an epoch's validation metrics; returns whether the learning rate was reduced (then {@link
   * #learningRate} is the new one).
   */
  boolean update(Map<String, Double> validation) {
    Double value = validation.get(config.metric());
    if (value == null) {
      throw new IllegalStateException("validation metrics have no " + config.metric());
    }
    boolean inCooldown = cooldownLeft > 0;
    if (inCooldown) {
      cooldownLeft--;
      wait = 0;
    }
    if (EarlyStopping.improves(value, best, config.minimize(), config.minDelta())) {
      best = value;
      wait = 0;
      return false;
    }
    if (inCooldown) {
      return false;
    }
    wait++;
    if (wait >= config.patience() && learningRate > config.minLearningRate()) {
      learningRate = Math.max(learningRate * config.factor(), config.minLearningRate());
      cooldownLeft = config.cooldown();
      wait = 0;
      return true;
    }
    return false;
  }

  /** The state as saved in a metrics row. */
  Map<String, Object> state() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", config.metric());
    m.put("best", Double.isInfinite(best) ? null : best);
    m.put("wait", wait);
    m.put("cooldown_left", cooldownLeft);
    m.put("next_learning_rate", learningRate);
    return m;
  }
}
