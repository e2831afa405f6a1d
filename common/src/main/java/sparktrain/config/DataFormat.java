package sparktrain.config;

/** Format of the input data: {@code idx} is MNIST-style IDX files (images + labels). */
public enum DataFormat implements ConfigEnum {
  IDX;

  /** Parses a config spelling such as {@code "idx"}. */
  public static DataFormat fromConfig(String text) {
    return ConfigEnum.parse(DataFormat.class, text);
  }
}
