package sparktrain.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one epoch of parameter averaging did.
 *
 * @param trainLoss the training loss the engine reports for the epoch (barrier: the mean of every
 *     minibatch's score; dl4j: DL4J's score of the last round)
 * @param rounds averaging rounds run (skipped ones excluded)
 * @param fitMillis per round, the slowest worker's time fitting its minibatches (empty when the
 *     engine does not measure rounds)
 * @param averageMillis per round, the averaging time of worker 0 (empty when not measured)
 * @param stages Spark stages (barrier engine) or jobs the epoch took
 */
public record EpochFit(
    double trainLoss, int rounds, List<Double> fitMillis, List<Double> averageMillis, int stages) {

  /** Defensive copies. */
  public EpochFit {
    fitMillis = List.copyOf(fitMillis);
    averageMillis = List.copyOf(averageMillis);
  }

  /** The median of {@code values} (NaN when empty). */
  public static double median(List<Double> values) {
    return quantile(values, 0.5);
  }

  /** The {@code q}-quantile (nearest rank) of {@code values} (NaN when empty). */
  public static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
