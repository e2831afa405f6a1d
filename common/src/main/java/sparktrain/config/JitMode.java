package sparktrain.config;

/**
 * How executor JVMs compile Java code while they train on a cluster ({@code training.jit}).
 *
 * <ul>
 *   <li>{@code auto}: HotSpot's optimizing compiler (C2) only for the averaging ring's AES-GCM and
 *       allreduce, its quick compiler (C1) for the rest, and {@code
 *       -XX:CompileThresholdScaling=0.1} on the executors: a fresh executor's first epochs no
 *       longer share its cores with C2 compiling DL4J, ND4J and Spark code, whose fitting runs in
 *       native code either way (see {@link sparktrain.runtime.ExecutorJit}). In {@code local[N]}
 *       (one JVM, compiled once for all workers) nothing changes.
 *   <li>{@code tiered}: the JVM's default compilation everywhere.
 * </ul>
 */
public enum JitMode implements ConfigEnum {
  AUTO,
  TIERED;

  /** Parses a config spelling such as {@code "auto"}. */
  public static JitMode fromConfig(String text) {
    return ConfigEnum.parse(JitMode.class, text);
  }
}
