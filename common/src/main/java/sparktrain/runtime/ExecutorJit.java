package sparktrain.runtime;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * and Kryo code through the first three epochs, taking CPU from the fitting (in epoch 1 the two
 * tasks ran 8.0 s, 3.7 s of it on the CPU), so the first epoch took 1.35-1.53x a steady one. The
 * fitting gains nothing from C2: its arithmetic is ND4J's native code, and with C1 alone the
 * slowest worker's round took 39-41 ms from the first epoch on (C2: 67 ms in epoch 1, 34 ms in
 * epoch 5). AES-GCM does need C2 (HotSpot's AES and GHASH intrinsics are C2's): with C1 alone the
 * averaging took 67 ms per round instead of 3-6 ms.
 *
 * <p>Two parts:
 *
 * <ul>
 *   <li>{@link #applyTo}: {@value #THRESHOLD_FLAG} in {@code spark.executor.extraJavaOptions}
 *       (appended to the user's options; left out when they set {@code CompileThresholdScaling}
 *       themselves), so that hot methods leave C1's slower profiling tier after a tenth of the
 *       usual calls. JVM flags can only be given at the executor's start.
 *   <li>{@link #training}: HotSpot compiler directives added at run time (the {@code
 *       Compiler.directives_add} diagnostic command, the same as {@code jcmd}) by the executor's
 *       first training task and removed when the run's final stage ends: C2 excluded except for
 *       {@link #C2_PACKAGES}. A method C2 may not compile is compiled by C1 without profiling once
 *       it is hot, and stays so. Stages before and after training compile the default way, except
 *       for such methods.
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

  private static final Pattern ADDED = Pattern.compile("(\\d+) compiler directives? added");

  private static final Object LOCK = new Object();

  /** Open {@link #training} scopes in this JVM (training tasks running). */
  private static int open;

  /** Directives this class has on HotSpot's stack now (0: none). */
  private static int added;

  /** Whether this JVM has logged the directives (once). */
  private static boolean announced;

  /** Whether this JVM has logged a failure (once). */
  private static boolean warned;

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

  /** An open {@link #training} scope; closing it twice closes it once. */
  public interface Scope extends AutoCloseable {
    /** A scope that does nothing ({@code training.jit = tiered}, or {@code local[N]}). */
    Scope NONE = () -> {};

    @Override
    void close();
  }

  /**
   * Puts {@link #DIRECTIVES} in force in this JVM for a training task: the first task adds them
   * (they stay between the run's stages: the per-epoch evaluation, the next epoch), and when the
   * last open scope of the run's final stage closes ({@code release}), they are removed, so that
   * what the executor runs after training (scoring, a user's own queries after a Spark ML {@code
   * fit}) compiles the default way. Methods C2 was refused while they were in force stay with C1
   * for the JVM's life. A run that ends early (early stopping, a failure) leaves them in force.
   *
   * @param release whether this task belongs to the run's final stage
   */
  public static Scope training(boolean release) {
    synchronized (LOCK) {
      open++;
      if (added == 0) {
        added = add();
      }
    }
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        leave(release);
      }
    };
  }

  private static void leave(boolean release) {
    synchronized (LOCK) {
      if (--open == 0 && release && added > 0) {
        try {
          for (; added > 0; added--) {
            diagnosticCommand("compilerDirectivesRemove");
          }
        } catch (JMException | RuntimeException e) {
          added = 0;
          warnOnce("the compiler directives could not be removed (" + e + ")");
        }
      }
    }
  }

  /** Adds the directives; returns how many HotSpot took (0: none, with one warning per JVM). */
  private static int add() {
    Path file = null;
    try {
      file = Files.createTempFile("sparktrain-jit-", ".json");
      Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
      String reply = diagnosticCommand("compilerDirectivesAdd", file.toString());
      Matcher m = ADDED.matcher(reply == null ? "" : reply);
      if (!m.find() || Integer.parseInt(m.group(1)) == 0) {
        warnOnce("HotSpot refused the compiler directives: " + reply);
        return 0;
      }
      if (!announced) {
        announced = true;
        LOG.info(
            "JIT: C2 compiles only {} in this executor while it trains, C1 the rest"
                + " (training.jit = auto)",
            String.join(", ", C2_PACKAGES));
      }
      return Integer.parseInt(m.group(1));
    } catch (Exception | LinkageError e) {
      // JMException, IOException, or a JVM without the diagnostic command bean
      warnOnce("no compiler directives (" + e + ")");
      return 0;
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

  private static void warnOnce(String why) {
    if (!warned) {
      warned = true;
      LOG.warn("JIT: training goes on with the JVM's default compilation: {}", why);
    }
  }
}
