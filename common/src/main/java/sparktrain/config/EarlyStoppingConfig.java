package sparktrain.config;

/**
 * {@code training.early-stopping}: stop when the validation {@code metric} has not improved by more
 * than {@code minDelta} for {@code patience} epochs (Keras's {@code EarlyStopping}).
 *
 * @param metric the validation metric watched; blank when early stopping is off
 * @param minimize whether lower is better (mode min, or auto for a loss or error)
 * @param patience epochs without improvement before stopping (0: stop at the first)
 * @param minDelta the least change that counts as an improvement
 * @param restoreBest whether the final model is the best epoch's, not the last one's
 */
public record EarlyStoppingConfig(
    String metric, boolean minimize, int patience, double minDelta, boolean restoreBest) {

  /** Early stopping off. */
  public static final EarlyStoppingConfig OFF = new EarlyStoppingConfig("", false, 0, 0, false);

  /** Whether early stopping is on. */
  public boolean enabled() {
    return !metric.isBlank();
  }
}
