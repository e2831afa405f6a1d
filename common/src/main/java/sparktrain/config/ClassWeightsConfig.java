package sparktrain.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code training.class-weights} (Keras's {@code class_weight}): none, {@code balanced}
 * (scikit-learn's rule n / (k * count of the class), on the training split), or an explicit weight
 * per class index (classes not named weigh 1).
 *
 * @param balanced whether the weights are computed from the training split's class counts
 * @param explicit class index -> weight; empty unless given explicitly
 */
public record ClassWeightsConfig(boolean balanced, Map<Integer, Double> explicit) {

  /** Every class weighs the same. */
  public static final ClassWeightsConfig NONE = new ClassWeightsConfig(false, Map.of());

  /** Copies {@code explicit}, sorted by class. */
  public ClassWeightsConfig {
    explicit = Map.copyOf(new TreeMap<>(explicit));
  }

  /** Whether any class weighs differently. */
  public boolean enabled() {
    return balanced || !explicit.isEmpty();
  }
}
