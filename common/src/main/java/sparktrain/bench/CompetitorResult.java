package sparktrain.bench;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code benchmark.json}'s {@code results}.
 *
 * @param name the competitor
 * @param epochSeconds wall seconds of each epoch (training, test evaluation, and for sparktrain the
 *     checkpoint)
 * @param testAccuracy test accuracy after each epoch
 * @param secondsToTarget wall seconds of the epochs until the first one whose test accuracy reached
 *     the target (setup excluded), or null when none did
 * @param ratioToBaseline steady epoch seconds divided by the baseline's (1 for the baseline; below
 *     1 is faster)
 * @param breakdown where the time and memory went: first and steady epoch seconds, examples per
 *     second, seconds-to-target ratio, peak heap and off-heap bytes, settings, phases, DL4J stats
 */
public record CompetitorResult(
    String name,
    List<Double> epochSeconds,
    List<Double> testAccuracy,
    Double secondsToTarget,
    double ratioToBaseline,
    Map<String, Object> breakdown) {

  /** Copies the lists. */
  public CompetitorResult {
    epochSeconds = List.copyOf(epochSeconds);
    testAccuracy = List.copyOf(testAccuracy);
  }

  /** A number of the breakdown, or null when absent. */
  public Double breakdownNumber(String key) {
    Object v = breakdown.get(key);
    return v instanceof Number n ? n.doubleValue() : null;
  }
}
