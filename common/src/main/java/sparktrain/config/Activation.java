package sparktrain.config;

/** Activation function of a layer. */
public enum Activation implements ConfigEnum {
  RELU,
  LEAKY_RELU,
  SIGMOID,
  TANH,
  SOFTMAX,
  IDENTITY;

  /** Parses a config spelling such as {@code "leaky-relu"}. */
  public static Activation fromConfig(String text) {
    return ConfigEnum.parse(Activation.class, text);
  }
}
