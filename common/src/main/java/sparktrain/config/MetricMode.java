package sparktrain.config;

/**
 * Whether a watched metric improves by going down ({@code min}) or up ({@code max}); {@code auto}
 * derives it from the metric's name (losses and errors: min, the rest: max).
 */
public enum MetricMode implements ConfigEnum {
  AUTO,
  MIN,
  MAX;

  /** Parses a config spelling such as {@code "min"}. */
  public static MetricMode fromConfig(String text) {
    return ConfigEnum.parse(MetricMode.class, text);
  }
}
