package sparktrain.config;

/**
 * {@code training.plateau}: multiply the learning rate by {@code factor} when the validation {@code
 * metric} has not improved for {@code patience} epochs (Keras's {@code ReduceLROnPlateau}), decided
 * on the driver between epochs.
 *
 * @param metric the validation metric watched; blank when the plateau schedule is off
 * @param minimize whether lower is better
 * @param factor the learning rate's multiplier, in (0, 1)
 * @param patience epochs without improvement before a reduction
 * @param minDelta the least change that counts as an improvement
 * @param cooldown epochs after a reduction during which no epoch counts towards the patience
 * @param minLearningRate the learning rate never goes below this
 */
public record PlateauConfig(
    String metric,
    boolean minimize,
    double factor,
    int patience,
    double minDelta,
    int cooldown,
    double minLearningRate) {

  /** The plateau schedule off. */
  public static final PlateauConfig OFF = new PlateauConfig("", false, 0.1, 10, 1e-4, 0, 0);

  /** Whether the plateau schedule is on. */
  public boolean enabled() {
    return !metric.isBlank();
  }
}
