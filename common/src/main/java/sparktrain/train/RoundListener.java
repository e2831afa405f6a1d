package sparktrain.train;

/**
 * Called on the driver after an averaging round, when the driver's network holds the round's
 * averaged parameters and updater state (a consistent snapshot for a checkpoint).
 */
@FunctionalInterface
public interface RoundListener {
  /**
   * One round is done.
   *
   * @param round 1-based round within the current epoch
   * @param totalRounds rounds of the current epoch
   */
  void afterRound(int round, int totalRounds);

  /** A listener that does nothing. */
  static RoundListener none() {
    return (round, total) -> {};
  }
}
