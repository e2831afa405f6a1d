package sparktrain.config;

/**
 * Which training engine runs the parameter averaging ({@code training.engine}).
 *
 * <ul>
 *   <li>{@code barrier}: one Spark barrier stage per epoch; every task builds its network once,
 *       streams its share of the examples (or holds it in memory, see {@link DataPath}) and
 *       averages with the other tasks over direct connections (or shared memory within one JVM)
 *       every {@code averaging-frequency} minibatches;
 *   <li>{@code dl4j}: DL4J's {@code ParameterAveragingTrainingMaster}, one Spark job per averaging
 *       round.
 * </ul>
 */
public enum TrainingEngineKind implements ConfigEnum {
  BARRIER,
  DL4J;

  /** Parses a config spelling such as {@code "barrier"}. */
  public static TrainingEngineKind fromConfig(String text) {
    return ConfigEnum.parse(TrainingEngineKind.class, text);
  }
}
