package sparktrain.runtime;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How HotSpot compiles in the executor JVMs that train on a cluster ({@code training.jit = auto}):
 * C2, the optimizing compiler, only for the ring's AES-GCM and allreduce; C1 for everything else.
 *
 * <p>Measured on the project's 2-executor standalone cluster (1 core each, MNIST MLP): with
 * HotSpot's default tiered compilation each fresh executor's C2 thread compiled DL4J, ND4J, Spark
 * and Kryo code through the first three epochs, taking CPU from the fitting (epoch 1 task time 8.0
 * s, of it 3.7 s on the CPU), so the first epoch took 1.35-1.53x a steady one. The fitting gains
 * nothing from C2: its arithmetic is ND4J's native code, and with C1 alone the slowest worker's
 * round took 39-41 ms from the first epoch on (C2: 67 ms in epoch 1, 34 ms in epoch 5). AES-GCM
 * does need C2 (HotSpot's AES and GHASH intrinsics are C2's): with C1 alone the averaging took 67
 * ms per round instead of 3-6 ms.
 *
 * <p>Two parts:
 *
 * <ul>
 *   <li>{@link #applyTo}: {@value #THRESHOLD_FLAG} in {@code spark.executor.extraJavaOptions}
 *       (appended to the user's options; left out when they set {@code CompileThresholdScaling}
 *       themselves), so that hot methods leave C1's slower profiling tier after a tenth of the
 *       usual calls. JVM flags can only be given at the executor's start.
 *   <li>{@link #installOnce}: HotSpot compiler directives added at run time (the {@code
 *       Compiler.directives_add} diagnostic command, the same as {@code jcmd}) by the first
 *       training task in each executor JVM, before it fits: C2 excluded except for {@link
 *       #C2_PACKAGES}. Methods C2 may not compile are compiled by C1 without profiling. Stages that
 *       ran before (reading the data) were compiled as usual; the executor keeps the directives
 *       until it exits.
 * </ul>
 *
 * <p>On a JVM without the diagnostic command (not HotSpot) the directives are skipped with one
 * warning and training goes on with the JVM's default compilation.
 */
public final class ExecutorJit {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorJit.class);

  /** The JVM flag {@link #applyTo} adds to the executors' Java options. */
  public static final String THRESHOLD_FLAG = "-XX:CompileThresholdScaling=0.1";

  /** Code that C2 still compiles: the JDK's AES-GCM and the ring's allreduce. */
  public static final List<String> C2_PACKAGES =
      List.of(
          "com/sun/crypto/provider/*.*",
          "javax/crypto/*.*",
          "sun/security/*.*",
          "sparktrain/train/collective/*.*");

  /** The directives: the first that matches a method applies to it. */
  static final String DIRECTIVES =
      "[\n  { match: [\""
          + String.join("\", \"", C2_PACKAGES)
          + "\"], c2: { Exclude: false } },\n"
          + "  { match: \"*.*\", c2: { Exclude: true } }\n]\n";

  private static final String OPTIONS_KEY = "spark.executor.extraJavaOptions";

  /** The outcome of the first {@link #installOnce} in this JVM, or null before it. */
  private static final AtomicReference<String> INSTALLED = new AtomicReference<>();

  private ExecutorJit() {}

  /**
   * Adds {@value #THRESHOLD_FLAG} to the executors' Java options unless they already set {@code
   * CompileThresholdScaling}; other options the user gave stay as they are.
   */
  public static void applyTo(SparkConf conf) {
    String options = conf.get(OPTIONS_KEY, "").strip();
    if (!options.contains("CompileThresholdScaling")) {
      conf.set(OPTIONS_KEY, options.isEmpty() ? THRESHOLD_FLAG : options + " " + THRESHOLD_FLAG);
    }
  }

  /**
   * Adds {@link #DIRECTIVES} to this JVM's compiler directives, once per JVM; later calls return
   * the first call's outcome at once.
   *
   * @return "installed", or why not (also logged as a warning)
   */
  public static String installOnce() {
    String done = INSTALLED.get();
    if (done != null) {
      return done;
    }
    synchronized (INSTALLED) {
      if (INSTALLED.get() == null) {
        INSTALLED.set(install());
      }
      return INSTALLED.get();
    }
  }

  private static String install() {
    Path file = null;
    try {
      file = Files.createTempFile("sparktrain-jit-", ".json");
      Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
      String reply = diagnosticCommand("compilerDirectivesAdd", file.toString());
      if (reply == null || !reply.contains("added")) {
        return warn("HotSpot refused the compiler directives: " + reply);
      }
      LOG.info(
          "JIT: C2 compiles only {} in this executor, C1 the rest (training.jit = auto)",
          String.join(", ", C2_PACKAGES));
      return "installed";
    } catch (Exception | LinkageError e) {
      // JMException, IOException, or a JVM without the diagnostic command bean
      return warn("no compiler directives (" + e + ")");
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
          // a temporary file of a few hundred bytes
        }
      }
    }
  }

  /** This JVM's compiler directives as HotSpot prints them ({@code Compiler.directives_print}). */
  public static String directives() {
    try {
      return diagnosticCommand("compilerDirectivesPrint");
    } catch (JMException e) {
      return "unknown: " + e;
    }
  }

  /** The reply of one of HotSpot's diagnostic commands, called through its platform MBean. */
  static String diagnosticCommand(String operation, String... arguments) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Object reply =
        server.invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"),
            operation,
            new Object[] {arguments},
            new String[] {String[].class.getName()});
    return reply == null ? null : reply.toString();
  }

  private static String warn(String why) {
    LOG.warn("JIT: training goes on with the JVM's default compilation: {}", why);
    return why;
  }
}
