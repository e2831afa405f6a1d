package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped {@code conf/log4j2.properties} keeps the console for people: sparktrain's lines in
 * full, everyone else's warnings and errors as their first line, no stack traces, no INFO chatter
 * of Spark, nothing marked for the log file only.
 */
class ConsoleLoggingTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  private LoggerContext context;

  @BeforeEach
  void loadShippedConfig() {
    // a context of its own, so that the loggers of other tests keep theirs
    context =
        new LoggerContext(
            "console-test",
            null,
            Paths.get("..", "conf", "log4j2.properties").toAbsolutePath().toUri());
    context.start();
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void sparkStackTracesStayOffTheConsole() {
    // what Spark logs when a task fails: the stack trace inside the message, and as the throwable
    String trace =
        "java.lang.ArrayIndexOutOfBoundsException: Index 260 out of bounds for length 160\n"
            + "\tat sparktrain.train.MiniBatches.toDataSet(MiniBatches.java:80)\n"
            + "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:329)\n";
    context
        .getLogger("org.apache.spark.scheduler.TaskSetManager")
        .warn("Lost task 0.0 in stage 6.0 (TID 9) (localhost executor driver): " + trace);
    context
        .getLogger("org.apache.spark.executor.Executor")
        .error(
            "Exception in task 0.0 in stage 6.0 (TID 9)",
            new ArrayIndexOutOfBoundsException("Index 260 out of bounds for length 160"));
    context.getLogger("org.apache.spark.SparkContext").info("Running Spark version 3.5.7");
    context.getLogger("org.deeplearning4j.spark.Foo").info("Starting training of split 1 of 40");
    context
        .getLogger("sparktrain.train.TrainJob")
        .info("epoch 1/5  loss 0.1443  test accuracy 0.9541");
    context
        .getLogger("sparktrain.data.TabularData")
        .warn("Skipped 2 bad rows:\n  non-numeric (1 row), first at x.csv line 3");
    context
        .getLogger("sparktrain.jobs.SparktrainCli")
        .log(
            Level.ERROR,
            MarkerManager.getMarker("FILE_ONLY"),
            "train failed",
            new IllegalStateException("only in the log file"));

    String err = console.stderr();
    assertThat(err.lines())
        .hasSize(5)
        .anySatisfy(
            l ->
                assertThat(l)
                    .endsWith(
                        "WARN  TaskSetManager: Lost task 0.0 in stage 6.0 (TID 9) (localhost"
                            + " executor driver): java.lang.ArrayIndexOutOfBoundsException:"
                            + " Index 260 out of bounds for length 160 [...]"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .endsWith("ERROR Executor: Exception in task 0.0 in stage 6.0 (TID 9)"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .endsWith("INFO  TrainJob: epoch 1/5  loss 0.1443  test accuracy 0.9541"))
        .anySatisfy(l -> assertThat(l).endsWith("WARN  TabularData: Skipped 2 bad rows:"))
        .anySatisfy(l -> assertThat(l).isEqualTo("  non-numeric (1 row), first at x.csv line 3"));
    assertThat(err)
        .doesNotContain("\tat ")
        .doesNotContain("Running Spark version")
        .doesNotContain("Starting training of split")
        .doesNotContain("only in the log file");
  }
}
