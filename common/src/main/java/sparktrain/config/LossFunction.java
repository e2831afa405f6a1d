package sparktrain.config;

/**
 * Loss function of the output layer. {@code sparse-mcxent} takes class indices as labels, {@code
 * mcxent} one-hot labels, {@code xent} is binary cross-entropy (one unit, or one per class for
 * multi-label), {@code hinge} takes class-index labels (made -1/+1 targets), {@code mse} and {@code
 * mae} are regression losses.
 */
public enum LossFunction implements ConfigEnum {
  MCXENT,
  SPARSE_MCXENT,
  XENT,
  MSE,
  MAE,
  HINGE;

  /** Parses a config spelling such as {@code "sparse-mcxent"}. */
  public static LossFunction fromConfig(String text) {
    return ConfigEnum.parse(LossFunction.class, text);
  }

  /** Whether this loss fits real-valued targets rather than classes. */
  public boolean isRegression() {
    return this == MSE || this == MAE;
  }
}
