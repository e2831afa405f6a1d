package sparktrain.config;

/**
 * Whether a run warms up the JVMs that train before its first epoch ({@code training.warm-up}): the
 * just-in-time compiler turns DL4J's fit into machine code only after many calls, so without a
 * warm-up the first epoch runs partly interpreted and is slower than the next ones, on the driver
 * and on every executor (each a fresh JVM on a cluster).
 *
 * <ul>
 *   <li>{@code auto}: before the first epoch, every worker fits a throwaway copy of the network on
 *       synthetic minibatches of the run's shape (and scores a few), in the same kind of task (one
 *       per worker, scheduled together) as the epochs; the network that trains is never touched, so
 *       the trained model is the same with and without it.
 *   <li>{@code off}: no warm-up.
 * </ul>
 */
public enum WarmUp implements ConfigEnum {
  AUTO,
  OFF;

  /** Parses a config spelling such as {@code "auto"}. */
  public static WarmUp fromConfig(String text) {
    return ConfigEnum.parse(WarmUp.class, text);
  }
}
