package sparktrain.config;

/**
 * What a learning-rate schedule counts: completed {@code epoch}s or {@code iteration}s (minibatches
 * fitted by each worker), both from 0.
 */
public enum ScheduleUnit implements ConfigEnum {
  EPOCH,
  ITERATION;

  /** Parses a config spelling such as {@code "iteration"}. */
  public static ScheduleUnit fromConfig(String text) {
    return ConfigEnum.parse(ScheduleUnit.class, text);
  }
}
