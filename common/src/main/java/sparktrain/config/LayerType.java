package sparktrain.config;

/** Kind of a layer in {@code model.layers}. */
public enum LayerType implements ConfigEnum {
  DENSE,
  OUTPUT;

  /** Parses a config spelling such as {@code "dense"}. */
  public static LayerType fromConfig(String text) {
    return ConfigEnum.parse(LayerType.class, text);
  }
}
