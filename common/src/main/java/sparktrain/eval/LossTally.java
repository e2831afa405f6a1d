package sparktrain.eval;

import java.io.Serializable;

/**
 * What every kind of {@link EvaluationResult} counts alike: the network's loss summed over the
 * scored examples, and the examples whose output held NaN or an infinity. Mergeable, like the
 * metrics that hold it.
 */
final class LossTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private double lossSum;
  private long lossExamples;
  private long nonFinite;

  /** Adds the summed loss of {@code examples} examples. */
  void addLoss(double sum, long examples) {
    lossSum += sum;
    lossExamples += examples;
  }

  /** Counts an example whose output was NaN or infinite. */
  void addNonFinite() {
    nonFinite++;
  }

  /** Adds {@code other} into this. */
  void merge(LossTally other) {
    lossSum += other.lossSum;
    lossExamples += other.lossExamples;
    nonFinite += other.nonFinite;
  }

  /** Mean loss per example added with a loss (NaN when none was). */
  double meanLoss() {
    return lossExamples == 0 ? Double.NaN : lossSum / lossExamples;
  }

  /** Examples counted with {@link #addNonFinite()}. */
  long nonFinite() {
    return nonFinite;
  }
}
