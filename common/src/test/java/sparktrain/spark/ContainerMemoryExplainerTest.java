package sparktrain.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The explanation of an executor lost to its container's memory limit, from Spark's own reasons.
 */
class ContainerMemoryExplainerTest {
  private final ContainerMemoryExplainer explainer =
      new ContainerMemoryExplainer(
          new SparkConf(false)
              .set("spark.executor.memory", "640m")
              .set("spark.executor.memoryOverhead", "64m")
              .set(
                  "spark.executor.extraJavaOptions",
                  "-Xms640m -Dorg.bytedeco.javacpp.maxbytes=2g"
                      + " -Dorg.bytedeco.javacpp.maxphysicalbytes=4g"));

  @Test
  void yarnsPhysicalMemoryKillNamesWhatWasExceededAndTheSettings() {
    // Spark 3.5's YarnAllocator reason for a container completed with status -104.
    String reason =
        "Container killed by YARN for exceeding physical memory limits. 801.3 MB of 768 MB"
            + " physical memory used. Consider boosting spark.executor.memoryOverhead.";

    String text = explainer.explain("3", reason).orElseThrow();

    assertThat(text)
        .startsWith("executor 3 was killed by YARN for exceeding its container's physical memory")
        .contains("it used 801.3 MB of its container's 768 MB")
        .contains("spark.executor.memory=640m")
        .contains("spark.executor.memoryOverhead=64m")
        .contains("raise spark.executor.memoryOverhead")
        .contains("-Dorg.bytedeco.javacpp.maxbytes (now 2g)")
        .contains("-Dorg.bytedeco.javacpp.maxphysicalbytes (now 4g")
        .endsWith(reason);
  }

  @Test
  void laterKillsOfTheSameApplicationGetAShortLineAndAreCounted() {
    ContainerMemoryExplainer app =
        new ContainerMemoryExplainer(new SparkConf(false).set("spark.app.id", "app-kills-1"));
    String reason =
        "Container killed by YARN for exceeding physical memory limits. 660 MB of 640 MB"
            + " physical memory used. Consider boosting spark.executor.memoryOverhead.";
    String first = app.explain("1", reason).orElseThrow();

    assertThat(app.record("1", first)).isEqualTo(first);
    assertThat(app.record("2", app.explain("2", reason).orElseThrow()))
        .isEqualTo(
            "executor 2 was killed for exceeding its container's physical memory limit too"
                + " (660 MB of 640 MB): 2 executors so far; what to raise is in the first such"
                + " message");
    assertThat(ContainerMemoryExplainer.killsOf("app-kills-1"))
        .contains(new ContainerMemoryExplainer.Kills(2, first));
    assertThat(ContainerMemoryExplainer.killsOf("another-app")).isEmpty();
  }

  @Test
  void kubernetesOomKillIsExplainedToo() {
    assertThat(
            explainer.explain(
                "1",
                "The executor with id 1 exited with exit code 137(SIGKILL, possible container OOM)."))
        .hasValueSatisfying(t -> assertThat(t).contains("killed by Kubernetes"));
  }

  @Test
  void otherLossesAreLeftToSpark() {
    assertThat(explainer.explain("2", "Container marked as failed. Exit status: 137.")).isEmpty();
    assertThat(explainer.explain("2", "Executor heartbeat timed out")).isEmpty();
    assertThat(explainer.explain("2", null)).isEmpty();
  }
}
