package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.io.HadoopFiles;

/**
 * {@code spark-submit --master yarn} of the shaded jar to a real (mini) YARN cluster with HDFS, the
 * NodeManagers' physical-memory check on: data and run directory on HDFS, client and cluster deploy
 * mode, an executor killed mid-epoch, and executors whose memory overhead is too small.
 */
class YarnSubmitIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** conf/spark-defaults.conf.example's executor memory settings, scaled by 1/8. */
  private static final List<String> EXAMPLE_MEMORY =
      List.of(
          "spark.executor.memory=512m",
          "spark.executor.memoryOverhead=512m",
          "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=384m"
              + " -Dorg.bytedeco.javacpp.maxphysicalbytes=1g",
          "spark.driver.memory=1g",
          "spark.driver.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=512m"
              + " -Dorg.bytedeco.javacpp.maxphysicalbytes=2g");

  private static final List<String> TWO_EXECUTORS =
      List.of("spark.executor.instances=2", "spark.executor.cores=1");

  @TempDir static Path dir;

  private static YarnCluster cluster;
  private static FileSystem fs;

  @BeforeAll
  static void start() throws Exception {
    cluster = YarnCluster.start(dir.resolve("yarn"), 2, 3072);
    fs = cluster.fs();
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(
            java.nio.file.Paths.get("..", "common", "src", "test", "resources", "mnist")
                .toAbsolutePath()
                .normalize()
                .toUri()),
        new org.apache.hadoop.fs.Path("/data/mnist"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** {@code train} of the MNIST slice with data and run directory on HDFS. */
  private static List<String> train(String runDir, int epochs, String... extra) throws IOException {
    String m = cluster.hdfs("/data/mnist/");
    List<String> args = new ArrayList<>(List.of("train"));
    List<String> sets =
        new ArrayList<>(
            List.of(
                "workload=mnist-test",
                "data.train.images=\"" + m + "train-images-idx3-ubyte\"",
                "data.train.labels=\"" + m + "train-labels-idx1-ubyte\"",
                "data.test.images=\"" + m + "t10k-images-idx3-ubyte\"",
                "data.test.labels=\"" + m + "t10k-labels-idx1-ubyte\"",
                "training.workers=2",
                "training.epochs=" + epochs));
    sets.addAll(List.of(extra));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    args.add("--output");
    args.add(cluster.hdfs(runDir));
    return args;
  }

  private static List<String> conf(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static JsonNode hdfsJson(String path) throws IOException {
    return JSON.readTree(HadoopFiles.readAll(fs, new org.apache.hadoop.fs.Path(path)));
  }

  private static String hdfsText(String path) throws IOException {
    return new String(
        HadoopFiles.readAll(fs, new org.apache.hadoop.fs.Path(path)), StandardCharsets.UTF_8);
  }

  private static int run(CliProcess p) throws InterruptedException {
    return p.await(YarnCluster.APP_TIMEOUT);
  }

  /**
   * Cluster mode (the driver in the ApplicationMaster's container): trains to the accuracy of local
   * mode (TrainJobTest's bar for the slice and 3 epochs, less 0.01 for two workers), checkpoints on
   * HDFS, exit status 0; with the example's memory settings no container exceeds its limit.
   */
  @Test
  void clusterModeTrainsOnHdfsInsideTheContainersMemory() throws Exception {
    Path log = dir.resolve("cluster-train.log");
    cluster.resetMemory();
    long start = System.nanoTime();
    int status;
    try (CliProcess p =
        cluster.submit(
            log, "cluster", conf(EXAMPLE_MEMORY, TWO_EXECUTORS), train("/runs/cluster", 3))) {
      status = run(p);
    }
    List<YarnCluster.ContainerMemory> memory = cluster.sampleContainers();
    System.out.printf(
        "YARN cluster mode train: exit %d in %.1f s; containers %s%n",
        status, (System.nanoTime() - start) / 1e9, memory);
    assertThat(status).as(String.join("\n", Files.readAllLines(log))).isZero();
    JsonNode summary = hdfsJson("/runs/cluster/summary.json");
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(3);
    assertThat(summary.get("test_metrics").get("accuracy").asDouble()).isGreaterThan(0.84);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/runs/cluster/checkpoints/epoch-0003")))
        .isTrue();
    assertThat(hdfsText("/runs/cluster/checkpoints/LATEST")).contains("epoch-0003");
    // The driver ran in YARN's ApplicationMaster container, not in spark-submit's JVM.
    assertThat(cluster.containerLogs(log, "stderr"))
        .contains("epoch 3/3")
        .contains("test accuracy");
    assertThat(memory).extracting(YarnCluster.ContainerMemory::role).contains("executor");
    assertThat(memory).extracting(YarnCluster.ContainerMemory::role).contains("application master");
    assertThat(memory).allSatisfy(c -> assertThat(c.peakRssMiB()).isLessThan(c.limitMiB()));
  }

  /** Cluster mode: a config error makes spark-submit exit non-zero, the message in the AM's log. */
  @Test
  void clusterModeConfigErrorExitsNonZeroWithTheMessageInTheDriverLog() throws Exception {
    Path log = dir.resolve("cluster-config-error.log");
    int status;
    try (CliProcess p =
        cluster.submit(
            log, "cluster", TWO_EXECUTORS, train("/runs/bad", 1, "training.epochs=zero"))) {
      status = run(p);
    }
    String submitLog = Files.readString(log);
    System.out.printf("YARN config error: spark-submit exit %d%n", status);
    assertThat(status).as(submitLog).isNotZero();
    assertThat(submitLog).contains("finished with failed status");
    String driverLog = cluster.containerLogs(log, "stderr");
    assertThat(driverLog).contains("training.epochs");
  }

  /**
   * Client mode: an executor's container JVM killed with {@code kill -9} in epoch 2 (right after
   * epoch 1's checkpoint appears); YARN gives the application a new container, the barrier stage of
   * the epoch is retried and every epoch completes in one run.
   */
  @Test
  void clientModeSurvivesAnExecutorContainerKilledMidEpoch() throws Exception {
    Path log = dir.resolve("client-kill.log");
    long victim;
    int status;
    long start = System.nanoTime();
    try (CliProcess p =
        cluster.submit(
            log, "client", conf(EXAMPLE_MEMORY, TWO_EXECUTORS), train("/runs/kill", 3))) {
      org.apache.hadoop.fs.Path epoch1 =
          new org.apache.hadoop.fs.Path("/runs/kill/checkpoints/epoch-0001");
      await("epoch 1's checkpoint")
          .atMost(YarnCluster.APP_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fs.exists(epoch1) || !p.isAlive());
      List<Long> executors = cluster.executorPids();
      assertThat(executors).as(p.logTail()).hasSize(2);
      victim = executors.get(0);
      cluster.kill(victim);
      status = run(p);
    }
    System.out.printf(
        "YARN client mode, executor pid %d killed in epoch 2: exit %d in %.1f s%n",
        victim, status, (System.nanoTime() - start) / 1e9);
    assertThat(status).as(String.join("\n", Files.readAllLines(log))).isZero();
    JsonNode summary = hdfsJson("/runs/kill/summary.json");
    assertThat(summary.get("status").asText()).isEqualTo("succeeded");
    assertThat(summary.get("epochs_completed").asInt()).isEqualTo(3);
    assertThat(summary.get("resumed_from_epoch").isNull()).isTrue();
    assertThat(summary.get("test_metrics").get("accuracy").asDouble()).isGreaterThan(0.84);
    assertThat(hdfsText("/runs/kill/metrics.jsonl").lines().count()).isEqualTo(3);
    assertThat(Files.readString(log)).containsIgnoringCase("lost executor");
  }

  /**
   * Client mode with a memory overhead far too small for the executor's off-heap memory: YARN kills
   * the containers; the console and the driver log say what was exceeded and what to raise.
   */
  @Test
  void tooSmallOverheadIsExplainedOnTheConsoleAndInTheDriverLog() throws Exception {
    Path log = dir.resolve("client-small-overhead.log");
    cluster.resetMemory();
    List<String> small =
        List.of(
            "spark.executor.memory=600m",
            "spark.executor.memoryOverhead=40m",
            // A long-running executor's heap is resident; here from the start: 600 MiB of the
            // container's 640, which leaves 40 MiB for the JVM's and ND4J's native memory.
            "spark.executor.extraJavaOptions=-Xms600m -XX:+AlwaysPreTouch"
                + " -Dorg.bytedeco.javacpp.maxbytes=2g -Dorg.bytedeco.javacpp.maxphysicalbytes=4g");
    int status;
    try (CliProcess p =
        cluster.submit(log, "client", conf(small, TWO_EXECUTORS), train("/runs/small", 1))) {
      status = run(p);
    }
    String console = Files.readString(log);
    List<String> explainerLines =
        console.lines().filter(l -> l.contains("ContainerMemoryExplainer")).toList();
    String explained = explainerLines.stream().findFirst().orElse("");
    String failed = console.lines().filter(l -> l.startsWith("failed: ")).findFirst().orElse("");
    System.out.printf(
        "YARN too-small overhead: exit %d; containers %s; console:%n%s%n%s%n",
        status,
        cluster.sampleContainers(),
        String.join("\n", explainerLines.subList(0, Math.min(3, explainerLines.size()))),
        failed);
    // a failure of the run's sizing (1), not a config error (2); the barrier engine stops
    // waiting for task slots once executors keep dying, and says why
    assertThat(status).as(console).isEqualTo(ExitCodes.FAILURE);
    assertThat(failed)
        .as(console)
        .contains("training needs 2 task slots")
        .contains("executors were killed for exceeding their containers' memory")
        .contains("spark.executor.memoryOverhead=40m");
    assertThat(explained)
        .as(console)
        .contains("exceeding its container's physical memory limit")
        .contains("physical memory used")
        .contains("raise spark.executor.memoryOverhead")
        .contains("spark.executor.memoryOverhead=40m")
        .contains("-Dorg.bytedeco.javacpp.maxbytes (now 2g)");
    // YARN replaces the killed containers and kills the replacements: one explanation, then short
    // lines
    assertThat(explainerLines)
        .filteredOn(l -> l.contains("raise spark.executor.memoryOverhead"))
        .hasSize(1);
    assertThat(hdfsText("/runs/small/logs/driver.log"))
        .contains("exceeding its container's physical memory limit");
  }
}
