package sparktrain.config;

/**
 * When DL4J repartitions the data of an averaging round before fitting it: {@code always} (DL4J's
 * default: one shuffle per round, even work per worker), {@code never} (no shuffle: partitions are
 * used as they are), {@code when-workers-differ} (only when the number of partitions differs from
 * the number of workers).
 */
public enum RepartitionPolicy implements ConfigEnum {
  ALWAYS,
  NEVER,
  WHEN_WORKERS_DIFFER;

  /** Parses a config spelling such as {@code "never"}. */
  public static RepartitionPolicy fromConfig(String text) {
    return ConfigEnum.parse(RepartitionPolicy.class, text);
  }
}
