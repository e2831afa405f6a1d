package sparktrain.config;

/**
 * Input scaling, fitted on the training split: {@code standardize} maps each feature to {@code (x -
 * mean) / std}, {@code min-max} to {@code (x - min) / (max - min)}, {@code image-scale} divides by
 * 255, {@code none} keeps raw values. {@code auto} is resolved when the config is read: {@code
 * image-scale} for IDX images, {@code standardize} for everything else; a {@link DataConfig} never
 * holds {@code AUTO}.
 */
public enum Normalization implements ConfigEnum {
  AUTO,
  STANDARDIZE,
  MIN_MAX,
  IMAGE_SCALE,
  NONE;

  /** Parses a config spelling such as {@code "image-scale"}. */
  public static Normalization fromConfig(String text) {
    return ConfigEnum.parse(Normalization.class, text);
  }

  /** Whether statistics of the training data are needed (standardize, min-max). */
  public boolean isFitted() {
    return this == STANDARDIZE || this == MIN_MAX;
  }
}
