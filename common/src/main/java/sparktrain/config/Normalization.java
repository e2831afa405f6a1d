package sparktrain.config;

/**
 * Input scaling: {@code image-scale} divides pixel values by 255; {@code none} keeps raw values.
 */
public enum Normalization implements ConfigEnum {
  IMAGE_SCALE,
  NONE;

  /** Parses a config spelling such as {@code "image-scale"}. */
  public static Normalization fromConfig(String text) {
    return ConfigEnum.parse(Normalization.class, text);
  }
}
