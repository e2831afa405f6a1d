package sparktrain.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code retrain} section: how {@code sparktrain retrain} continues the champion and decides
 * whether the challenger replaces it.
 *
 * @param epochs epochs trained on the new data, counted on from the champion's epoch
 * @param metric the metric that decides promotion
 * @param minImprovement the least improvement of {@code metric} that promotes (absolute, >= 0)
 * @param guardRails largest allowed regression of each guarded metric (>= 0), in config order
 * @param replayFraction share of the old data mixed into the new data, in [0, 1]
 * @param lockTtl how long the registry lock lives without renewal
 * @param normalizer whether the challenger keeps the champion's normalizer or fits a new one
 */
public record RetrainConfig(
    int epochs,
    RetrainMetric metric,
    double minImprovement,
    Map<RetrainMetric, Double> guardRails,
    double replayFraction,
    Duration lockTtl,
    RetrainNormalizer normalizer) {

  /** Makes an unmodifiable, order-preserving copy of the guard rails. */
  public RetrainConfig {
    guardRails =
        guardRails == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(guardRails));
  }
}
