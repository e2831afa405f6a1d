package sparktrain.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks which of ND4J's CPU binaries a JVM loads: the AVX2 build where the CPU has AVX2 and FMA and
 * the build ships it, else the generic x86-64 one.
 *
 * <p>ND4J's generic binary runs its element-wise kernels without AVX: measured on this project's
 * 2-core machine, the MNIST MLP's minibatch fit took 2.1-2.3 ms with it and 1.7-1.9 ms with the
 * AVX2 binary (Adam's update alone, 101,770 parameters, gradient and state in the same order:
 * 580-630 against 265-400 us). JavaCPP chooses the binary from the system property {@value
 * #EXTENSION_PROPERTY} when ND4J first loads, so {@link #select} must run before anything touches
 * ND4J: the CLI calls it first thing, executors through {@link Nd4jBinaryPlugin}. A value the user
 * set (even empty, for the generic binary) is kept.
 */
public final class Nd4jBinary {
  /** JavaCPP's system property naming the binary's variant (e.g. {@code -avx2}). */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

  /** The AVX2 variant's extension. */
  public static final String AVX2 = "-avx2";

  /** What the AVX2 build needs of the CPU (x86-64-v3: Haswell, Zen and later). */
  static final Set<String> AVX2_FLAGS = Set.of("avx2", "fma", "f16c");

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private static final String BINDINGS = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu";

  private static final String AVX2_LIBRARY =
      "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-avx2/libjnind4jcpu.so";

  private static final Logger LOG = LoggerFactory.getLogger(Nd4jBinary.class);

  private Nd4jBinary() {}

  /**
   * Sets {@value #EXTENSION_PROPERTY} for this JVM unless it is set already, and returns the
   * extension in effect ({@code ""}: the generic binary). Too late once ND4J has loaded: then the
   * property no longer changes anything.
   */
  public static synchronized String select() {
    String set = System.getProperty(EXTENSION_PROPERTY);
    if (set != null) {
      return set;
    }
    String chosen =
        choose(
            System.getProperty("os.name", ""),
            System.getProperty("os.arch", ""),
            cpuFlags(CPUINFO),
            avx2Visible());
    if (!chosen.isEmpty()) {
      System.setProperty(EXTENSION_PROPERTY, chosen);
      LOG.debug("ND4J binary: {} ({}={})", chosen, EXTENSION_PROPERTY, chosen);
    }
    return chosen;
  }

  /** Whether this machine's CPU has what the AVX2 binary needs ({@link #AVX2_FLAGS}). */
  public static boolean cpuCanRunAvx2() {
    return cpuFlags(CPUINFO).containsAll(AVX2_FLAGS);
  }

  /**
   * Whether the AVX2 library is there for ND4J: JavaCPP looks for it with the class loader of
   * ND4J's bindings, which need not be this class's (e.g. ND4J on an executor's own classpath,
   * sparktrain in the application jar).
   */
  static boolean avx2Visible() {
    try {
      Class<?> bindings = Class.forName(BINDINGS, false, Nd4jBinary.class.getClassLoader());
      ClassLoader loader = bindings.getClassLoader();
      return loader != null && loader.getResource(AVX2_LIBRARY) != null;
    } catch (ClassNotFoundException | LinkageError e) {
      return false; // not the CPU backend
    }
  }

  /**
   * The extension for a JVM on {@code osName}/{@code osArch} with these CPU flags, when the AVX2
   * library is or is not on the classpath: {@link #AVX2} or {@code ""}.
   */
  static String choose(String osName, String osArch, Set<String> flags, boolean avx2Shipped) {
    boolean linuxX64 =
        osName.toLowerCase(Locale.ROOT).startsWith("linux")
            && (osArch.equals("amd64") || osArch.equals("x86_64"));
    return linuxX64 && avx2Shipped && flags.containsAll(AVX2_FLAGS) ? AVX2 : "";
  }

  /** The CPU's feature flags from {@code cpuinfo} (the first {@code flags} line), or none. */
  static Set<String> cpuFlags(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        if (line.startsWith("flags")) {
          int colon = line.indexOf(':');
          return colon < 0
              ? Set.of()
              : Arrays.stream(line.substring(colon + 1).trim().split("\\s+"))
                  .collect(Collectors.toUnmodifiableSet());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable: the generic binary
    }
    return Set.of();
  }
}
