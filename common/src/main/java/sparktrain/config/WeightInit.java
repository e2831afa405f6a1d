package sparktrain.config;

/** Initial weight distribution of a layer. */
public enum WeightInit implements ConfigEnum {
  XAVIER,
  RELU,
  UNIFORM,
  NORMAL,
  ZERO;

  /** Parses a config spelling such as {@code "xavier"}. */
  public static WeightInit fromConfig(String text) {
    return ConfigEnum.parse(WeightInit.class, text);
  }
}
