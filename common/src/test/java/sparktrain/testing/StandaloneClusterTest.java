package sparktrain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.runtime.NativeAllocator;

/**
 * Runs real Spark jobs on a real 2-worker {@link StandaloneCluster}, kills an executor mid-job and
 * then a whole worker. The tests share one cluster (startup costs seconds) and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static StandaloneCluster cluster;
  private static SparkSession spark;
  private static JavaSparkContext jsc;
  private static final AtomicInteger failedTasks = new AtomicInteger();

  @BeforeAll
  static void startCluster() {
    cluster = StandaloneCluster.start(dir.resolve("cluster"), 2);
  }

  @AfterAll
  static void stopCluster() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        List<Long> executors = cluster.executorPids();
        cluster.close();
        assertThat(executors).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(cluster.executorPids()).isEmpty();
      }
    }
  }

  @Test
  @Order(1)
  void bothWorkersRegister() {
    cluster.awaitWorkers(2, TIMEOUT);

    assertThat(cluster.aliveWorkers()).isEqualTo(2);
    assertThat(cluster.masterUrl()).matches("spark://127\\.0\\.0\\.1:\\d+");
  }

  @Test
  @Order(2)
  void runsAJobOnTwoExecutorJvmsWithTheJava17Flags() {
    spark =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("standalone-cluster-test")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.executor.memory", "512m")
            .config("spark.executor.extraClassPath", StandaloneCluster.testClasspath())
            .config("spark.local.dir", dir.resolve("driver-local").toString())
            .config("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            // Start jobs only when both executors (2 cores) are there, so that each runs tasks.
            .config("spark.cores.max", "2")
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s")
            .config(allocatorDefaults())
            .getOrCreate();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    spark.sparkContext().addSparkListener(new FailedTaskCounter());

    int sum = jsc.parallelize(numbers(1000), 4).map(x -> x * 2).reduce(Integer::sum);

    assertThat(sum).isEqualTo(1000 * 1001);
    List<Long> executors = cluster.awaitExecutors(2, TIMEOUT);
    assertThat(executors).hasSize(2);
    // Spark adds its module flags to the executors it launches (DESIGN §6).
    assertThat(StandaloneCluster.commandLine(executors.get(0)))
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
        .contains("--worker-url");
    // the executors' glibc hands freed ND4J buffers back (NativeAllocator, set by SparkSessions)
    Path environ = Path.of("/proc/" + executors.get(0) + "/environ");
    if (java.nio.file.Files.isReadable(environ)) {
      try {
        assertThat(java.nio.file.Files.readString(environ).split("\0"))
            .contains(NativeAllocator.MMAP_THRESHOLD_ENV + "=" + NativeAllocator.MMAP_THRESHOLD);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static org.apache.spark.SparkConf allocatorDefaults() {
    org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf(false);
    NativeAllocator.applyTo(conf);
    return conf;
  }

  @Test
  @Order(3)
  void jobSurvivesAnExecutorKilledMidStage() throws Exception {
    long victim = cluster.awaitExecutors(2, TIMEOUT).get(0);
    int failedBefore = failedTasks.get();

    // 8 tasks of 5 x 300 ms on 2 single-core executors: about 6 s without failures.
    CompletableFuture<Integer> job =
        CompletableFuture.supplyAsync(
            () ->
                jsc.parallelize(numbers(40), 8)
                    .map(
                        x -> {
                          Thread.sleep(300);
                          return x;
                        })
                    .reduce(Integer::sum));
    await("both executors running a task")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> runningTasks() >= 2);
    assertThat(job).isNotDone();
    cluster.killExecutor(victim);

    assertThat(job.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(40 * 41 / 2);
    // The kill hit a running task, which Spark ran again elsewhere ...
    await("the lost task reported as failed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> failedTasks.get() > failedBefore);
    // ... and the worker launched a replacement executor.
    List<Long> executors = cluster.awaitExecutors(2, TIMEOUT);
    assertThat(executors).doesNotContain(victim);
  }

  @Test
  @Order(4)
  void jobRunsOnTheOtherWorkerWhenOneIsKilled() {
    cluster.awaitExecutors(2, TIMEOUT);

    cluster.killWorker(1);

    await("the master to drop the killed worker")
        .atMost(TIMEOUT)
        .until(() -> cluster.aliveWorkers() == 1);
    assertThat(cluster.awaitExecutors(1, TIMEOUT)).hasSize(1);
    assertThat(jsc.parallelize(numbers(100), 4).map(x -> x + 1).reduce(Integer::sum))
        .isEqualTo(100 * 101 / 2 + 100);
    assertThatThrownBy(() -> cluster.awaitWorkers(2, Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 ALIVE worker(s)")
        .hasMessageContaining("lines of " + dir.resolve("cluster/logs/master.log"))
        .hasMessageContaining("lines of " + dir.resolve("cluster/logs/worker-1.log"));
  }

  private static List<Integer> numbers(int n) {
    return IntStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
  }

  private static int runningTasks() {
    int running = 0;
    for (int stageId : jsc.statusTracker().getActiveStageIds()) {
      var info = jsc.statusTracker().getStageInfo(stageId);
      if (info != null) {
        running += info.numActiveTasks();
      }
    }
    return running;
  }

  /** Counts tasks that ended in anything but success (e.g. their executor was lost). */
  private static final class FailedTaskCounter extends SparkListener {
    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
      if (taskEnd.reason() != Success$.MODULE$) {
        failedTasks.incrementAndGet();
      }
    }
  }
}
