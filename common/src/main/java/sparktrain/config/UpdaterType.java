package sparktrain.config;

/**
 * Gradient updater (optimizer). {@code momentum} and {@code nesterov} both mean Nesterov momentum,
 * the only momentum updater DL4J has.
 */
public enum UpdaterType implements ConfigEnum {
  SGD,
  MOMENTUM,
  NESTEROV,
  ADAM,
  RMSPROP;

  /** Parses a config spelling such as {@code "rmsprop"}. */
  public static UpdaterType fromConfig(String text) {
    return ConfigEnum.parse(UpdaterType.class, text);
  }
}
