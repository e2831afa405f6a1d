package sparktrain.config;

/**
 * How DL4J feeds each averaging round: {@code export} writes minibatches to a temp dir once per
 * epoch, {@code direct} uses the cached RDD.
 */
public enum RddApproach implements ConfigEnum {
  EXPORT,
  DIRECT;

  /** Parses a config spelling such as {@code "export"}. */
  public static RddApproach fromConfig(String text) {
    return ConfigEnum.parse(RddApproach.class, text);
  }
}
