package sparktrain.config;

/**
 * The {@code data.split} section: fractions of the main input held out, at random (seeded), as the
 * validation and test splits; training gets the rest.
 */
public record SplitFractions(double validation, double test) {

  /** The fraction left for training. */
  public double train() {
    return 1 - validation - test;
  }
}
