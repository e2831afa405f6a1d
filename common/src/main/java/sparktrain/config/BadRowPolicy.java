package sparktrain.config;

/**
 * What to do with an input row that cannot be used: {@code fail} stops before training with an
 * error naming the file, line and column; {@code skip} trains on the good rows and counts the
 * skipped ones by kind.
 */
public enum BadRowPolicy implements ConfigEnum {
  FAIL,
  SKIP;

  /** Parses a config spelling such as {@code "skip"}. */
  public static BadRowPolicy fromConfig(String text) {
    return ConfigEnum.parse(BadRowPolicy.class, text);
  }
}
