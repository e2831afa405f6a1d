package sparktrain.jobs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import sparktrain.checkpoint.HaltBeforePublishMain;
import sparktrain.testing.ChildJvm;

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
    return start(log, "1g", systemProperties, SparktrainCli.class.getName(), args);
  }

  /** As {@link #start(Path, List, List)} with a maximum heap of {@code heap} (e.g. 512m). */
  static CliProcess startWithHeap(
      Path log, String heap, List<String> systemProperties, List<String> args) {
    return start(log, heap, systemProperties, SparktrainCli.class.getName(), args);
  }

  /**
   * Starts the CLI with {@code args} in a JVM that halts like {@code kill -9} (exit status {@value
   * HaltBeforePublishMain#HALT_STATUS}) after writing {@code checkpoint}'s files, before publishing
   * it ({@link HaltBeforePublishMain}).
   */
  static CliProcess startHaltingBeforePublish(
      Path log, List<String> systemProperties, String checkpoint, List<String> args) {
    List<String> mainArgs = new ArrayList<>(List.of(checkpoint, SparktrainCli.class.getName()));
    mainArgs.addAll(args);
    return start(log, "1g", systemProperties, HaltBeforePublishMain.class.getName(), mainArgs);
  }

  private static CliProcess start(
      Path log, String heap, List<String> systemProperties, String mainClass, List<String> args) {
    List<String> options = new ArrayList<>();
    options.add("-Dorg.bytedeco.javacpp.maxbytes=2g");
    String log4j = System.getProperty("log4j2.configurationFile");
    if (log4j != null) {
      options.add("-Dlog4j2.configurationFile=" + log4j); // the shipped config, as the tests use
    }
    options.addAll(systemProperties);
    Process p =
        ChildJvm.of(mainClass, args)
            .heap(heap)
            .options(options)
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("OMP_NUM_THREADS", "1")
            .start(log);
    return new CliProcess(p, log);
  }

  /** A started CLI-like JVM whose output goes to {@code log}. */
  static CliProcess of(Process process, Path log) {
    return new CliProcess(process, log);
  }

  /** Seconds since start. */
  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The JVM's process id. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the JVM with SIGKILL (no shutdown hooks, nothing flushed) and waits until it is gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Waits until {@code condition} holds, polling every 50 ms.
   *
   * @throws AssertionError naming {@code what}, with the log's tail, if the process exits first or
   *     {@code timeout} passes
   */
  void awaitUntil(BooleanSupplier condition, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!isAlive()) {
        throw new AssertionError("CLI exited before " + what + "; log:\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; log:\n" + logTail());
      }
      Thread.sleep(50);
    }
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
    return String.join("\n", ChildJvm.tail(log, 40));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
