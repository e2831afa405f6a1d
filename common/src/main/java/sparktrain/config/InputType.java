package sparktrain.config;

/**
 * Shape of the network input: {@code feed-forward} is a flat vector, {@code image} is height x
 * width x channels values (arriving flattened).
 */
public enum InputType implements ConfigEnum {
  FEED_FORWARD,
  IMAGE;

  /** Parses a config spelling such as {@code "feed-forward"}. */
  public static InputType fromConfig(String text) {
    return ConfigEnum.parse(InputType.class, text);
  }
}
