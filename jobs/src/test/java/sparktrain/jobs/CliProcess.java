package sparktrain.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sparktrain train ...} as a separate driver JVM ({@code java <Java 17 flags> -cp <test
 * classpath> sparktrain.jobs.SparktrainCli}), with its output in a log file, so that tests can kill
 * it like {@code kill -9}.
 */
final class CliProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final long startNanos = System.nanoTime();

  private CliProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the CLI with {@code args}; {@code systemProperties} are extra {@code -Dk=v} JVM options.
   */
  static CliProcess start(Path log, List<String> systemProperties, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:+UseSerialGC");
    command.addAll(java17Flags());
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-Dorg.bytedeco.javacpp.maxbytes=2g");
    command.addAll(systemProperties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SparktrainCli.class.getName());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("OMP_NUM_THREADS", "1");
    try {
      Process p = builder.start();
      p.getOutputStream().close();
      return new CliProcess(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  /** Seconds since start. */
  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the JVM with SIGKILL (no shutdown hooks, nothing flushed) and waits until it is gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for the exit and returns the status; kills the process after {@code timeout}. */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill9();
      throw new IllegalStateException("CLI still running after " + timeout + "; log " + log);
    }
    return process.exitValue();
  }

  /** The last lines of the log, for assertion messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }

  /** Spark's module flags for a JVM not started by spark-submit (DESIGN §6). */
  static List<String> java17Flags() {
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
    return flags;
  }
}
