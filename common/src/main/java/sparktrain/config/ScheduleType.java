package sparktrain.config;

/**
 * Learning-rate schedule: {@code none} (constant), {@code step} (multiplied by a decay every n
 * units), {@code exponential} (multiplied by a decay every unit), {@code cosine} (half a cosine
 * from the learning rate down to a minimum over a period).
 */
public enum ScheduleType implements ConfigEnum {
  NONE,
  STEP,
  EXPONENTIAL,
  COSINE;

  /** Parses a config spelling such as {@code "cosine"}. */
  public static ScheduleType fromConfig(String text) {
    return ConfigEnum.parse(ScheduleType.class, text);
  }
}
