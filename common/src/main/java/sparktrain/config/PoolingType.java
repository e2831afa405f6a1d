package sparktrain.config;

/** Pooling of a subsampling layer: the maximum or the average of each window. */
public enum PoolingType implements ConfigEnum {
  MAX,
  AVG;

  /** Parses a config spelling such as {@code "max"}. */
  public static PoolingType fromConfig(String text) {
    return ConfigEnum.parse(PoolingType.class, text);
  }
}
