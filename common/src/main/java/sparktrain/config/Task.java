package sparktrain.config;

/**
 * What the labels mean, derived from the output layer's loss (not a config key): {@code REGRESSION}
 * for mse and mae (a real-valued target), {@code BINARY} for a classification loss over one output
 * unit (labels 0 and 1), {@code CLASSIFICATION} otherwise (class indexes 0 to {@code
 * data.num-classes - 1}).
 */
public enum Task {
  CLASSIFICATION,
  BINARY,
  REGRESSION;

  /** The task of an output layer with {@code loss} over {@code units} units. */
  public static Task of(LossFunction loss, int units) {
    if (loss.isRegression()) {
      return REGRESSION;
    }
    return units == 1 ? BINARY : CLASSIFICATION;
  }
}
