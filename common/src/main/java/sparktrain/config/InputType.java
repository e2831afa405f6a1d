package sparktrain.config;

/** Shape of the network input: {@code feed-forward} is a flat vector. */
public enum InputType implements ConfigEnum {
  FEED_FORWARD;

  /** Parses a config spelling such as {@code "feed-forward"}. */
  public static InputType fromConfig(String text) {
    return ConfigEnum.parse(InputType.class, text);
  }
}
