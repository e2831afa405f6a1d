package sparktrain.config;

/**
 * Kind of a layer in {@code model.layers}: fully connected ({@code dense}), 2D {@code convolution},
 * 2D pooling ({@code subsampling}), {@code batch-norm}, a {@code dropout} layer, and the {@code
 * output} layer with its loss.
 */
public enum LayerType implements ConfigEnum {
  DENSE,
  CONVOLUTION,
  SUBSAMPLING,
  BATCH_NORM,
  DROPOUT,
  OUTPUT;

  /** Parses a config spelling such as {@code "dense"}. */
  public static LayerType fromConfig(String text) {
    return ConfigEnum.parse(LayerType.class, text);
  }

  /** Whether layers of this type have weights (and so weight init, l1, l2). */
  public boolean hasWeights() {
    return this == DENSE || this == CONVOLUTION || this == OUTPUT;
  }

  /** Whether this type needs an image-shaped input (height x width x channels). */
  public boolean needsImage() {
    return this == CONVOLUTION || this == SUBSAMPLING;
  }

  /** How messages name a layer of this type: {@code "a dense layer"}, {@code "an output layer"}. */
  public String describe() {
    return (this == OUTPUT ? "an " : "a ") + configName() + " layer";
  }
}
