package sparktrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A main class started in a separate JVM, the way tests start Spark daemons and the CLI: this JVM's
 * own {@code java}, a fixed heap, the serial GC, Spark's Java 17 module flags, a temp dir, then
 * extra JVM options, {@code -cp CLASSPATH MAIN ARGS}. Standard output and error both go to a log
 * file; standard input is closed.
 */
public final class ChildJvm {
  /** Spark's module flags for a JVM not started by spark-submit (DESIGN §6). */
  public static final List<String> JAVA17_FLAGS = java17Flags();

  private final String mainClass;
  private final List<String> args;
  private final List<String> options = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private String heap = "512m";
  private Path tmpDir = Paths.get(System.getProperty("java.io.tmpdir"));
  private String classpath = System.getProperty("java.class.path");
  private Path directory;

  private ChildJvm(String mainClass, List<String> args) {
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
  }

  /** {@code mainClass} with {@code args}, on this JVM's classpath ({@code java.class.path}). */
  public static ChildJvm of(String mainClass, List<String> args) {
    return new ChildJvm(mainClass, args);
  }

  /** The maximum heap, e.g. {@code "512m"} (the default) or {@code "1g"}. */
  public ChildJvm heap(String maxHeap) {
    this.heap = maxHeap;
    return this;
  }

  /** {@code java.io.tmpdir} of the child; default: this JVM's. */
  public ChildJvm tmpDir(Path dir) {
    this.tmpDir = dir;
    return this;
  }

  /** Extra JVM options ({@code -Dk=v}, {@code -XX:...}), after the standard ones. */
  public ChildJvm options(List<String> jvmOptions) {
    options.addAll(jvmOptions);
    return this;
  }

  /** The classpath; default: this JVM's. */
  public ChildJvm classpath(String cp) {
    this.classpath = cp;
    return this;
  }

  /** The working directory; default: this JVM's. */
  public ChildJvm directory(Path dir) {
    this.directory = dir;
    return this;
  }

  /**
   * Sets an environment variable of the child, which inherits this JVM's environment; {@code null}
   * removes an inherited one.
   */
  public ChildJvm env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** The full command line. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseSerialGC");
    command.addAll(JAVA17_FLAGS);
    command.add("-Djava.io.tmpdir=" + tmpDir);
    command.addAll(options);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * Starts the JVM with its output and errors going to {@code log} (replaced).
   *
   * @throws UncheckedIOException if the process cannot be started; the message names the main class
   *     and the log
   */
  public Process start(Path log) {
    List<String> command = command();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Map<String, String> env = builder.environment();
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            env.remove(name);
          } else {
            env.put(name, value);
          }
        });
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start " + mainClass + " (log " + log + ") with " + command.get(0), e);
    }
  }

  /** The last {@code lines} lines of a log, or one line saying why it cannot be read. */
  public static List<String> tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e + ")");
    }
  }

  private static List<String> java17Flags() {
    List<String> flags = new ArrayList<>();
    flags.add("-XX:+IgnoreUnrecognizedVMOptions");
    for (String pkg :
        List.of(
            "java.lang",
            "java.lang.invoke",
            "java.lang.reflect",
            "java.io",
            "java.net",
            "java.nio",
            "java.util",
            "java.util.concurrent",
            "java.util.concurrent.atomic",
            "jdk.internal.ref",
            "sun.nio.ch",
            "sun.nio.cs",
            "sun.security.action",
            "sun.util.calendar")) {
      flags.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    flags.add("--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED");
    flags.add("-Djdk.reflect.useDirectMethodHandle=false");
    // Spark 4's launcher adds it too (netty's direct buffers; harmless on Spark 3.5)
    flags.add("-Dio.netty.tryReflectionSetAccessible=true");
    return List.copyOf(flags);
  }
}
