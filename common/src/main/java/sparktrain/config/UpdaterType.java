package sparktrain.config;

/**
 * Gradient updater (optimizer). {@code momentum} and {@code nesterov} both mean Nesterov momentum,
 * the only momentum updater DL4J has; {@code adamw} is Adam with decoupled weight decay.
 */
public enum UpdaterType implements ConfigEnum {
  SGD,
  MOMENTUM,
  NESTEROV,
  ADAM,
  ADAMW,
  RMSPROP;

  /** Parses a config spelling such as {@code "rmsprop"}. */
  public static UpdaterType fromConfig(String text) {
    return ConfigEnum.parse(UpdaterType.class, text);
  }
}
