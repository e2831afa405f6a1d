package sparktrain.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Spark standalone cluster for tests: one master and N workers, each a separate JVM started
 * with {@link ProcessBuilder} from the test JVM's own classpath (which includes Spark), on free
 * ports of 127.0.0.1. Workers launch executor JVMs as on a real cluster; tests can kill them with
 * {@code kill -9} semantics. Logs of the master and worker go to {@code logs/} in the work dir;
 * executor logs to the worker work dirs ({@code worker-I/app-.../ID/stderr}).
 *
 * <p>Like a Spark installation, executors get the classpath's jars only (via {@code
 * SPARK_DIST_CLASSPATH}); a client ships its own classes, e.g. with {@code
 * spark.executor.extraClassPath} set to {@link #testClasspath()}.
 *
 * <p>{@link #close()} stops every process the cluster started, executors included; a JVM shutdown
 * hook does the same if a test never closes it.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
  private static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
  private static final String EXECUTOR_CLASS =
      "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  private static final String HOST = "127.0.0.1";
  private static final Duration MASTER_START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final int LOG_TAIL_LINES = 25;

  private final Path workDir;
  private final String classpath;
  private final int masterPort;
  private final int masterUiPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<Daemon> workers = new ArrayList<>();
  private final Thread shutdownHook =
      new Thread(this::destroyAllForcibly, "standalone-cluster-stop");
  // Read by Awaitility's polling thread.
  private final Set<String> killedWorkers = ConcurrentHashMap.newKeySet();
  private Daemon master;
  private boolean closed;

  /** One started master or worker JVM; {@code port} is its RPC port. */
  private record Daemon(String name, int port, Process process, Path log) {}

  private StandaloneCluster(Path workDir, String classpath, int masterPort, int masterUiPort) {
    this.workDir = workDir;
    this.classpath = classpath;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
  }

  /** Starts a master and {@code workers} workers with 1 core and 1g each; see {@link #start}. */
  public static StandaloneCluster start(Path workDir, int workers) {
    return start(workDir, workers, 1, "1g");
  }

  /**
   * Starts a master, waits until it is ALIVE, then starts {@code workers} workers offering {@code
   * coresPerWorker} cores and {@code memoryPerWorker} (e.g. {@code "1g"}) each. Returns without
   * waiting for the workers to register: call {@link #awaitWorkers}.
   *
   * @param workDir directory for logs, worker work dirs and Spark's local dirs (created if needed)
   * @throws IllegalStateException if the master does not come up; the message has its log tail
   */
  public static StandaloneCluster start(
      Path workDir, int workers, int coresPerWorker, String memoryPerWorker) {
    return start(workDir, workers, coresPerWorker, memoryPerWorker, List.of());
  }

  /**
   * {@link #start(Path, int, int, String)} with {@code daemonOptions} (JVM options such as {@code
   * -Dspark.authenticate=true}) for the master and the workers.
   */
  public static StandaloneCluster start(
      Path workDir,
      int workers,
      int coresPerWorker,
      String memoryPerWorker,
      List<String> daemonOptions) {
    if (workers < 1 || coresPerWorker < 1) {
      throw new IllegalArgumentException(
          "workers and coresPerWorker must be >= 1, got " + workers + " and " + coresPerWorker);
    }
    if (!memoryPerWorker.matches("[1-9][0-9]*[mMgG]")) {
      throw new IllegalArgumentException(
          "memoryPerWorker must look like 512m or 1g, got '" + memoryPerWorker + "'");
    }
    Path dir = workDir.toAbsolutePath();
    createDirectories(dir.resolve("logs"));
    createDirectories(dir.resolve("spark-home").resolve("jars"));
    createDirectories(dir.resolve("tmp"));
    // Master RPC, master UI, then RPC and UI of each worker: all free at the same time.
    int[] ports = freePorts(2 + 2 * workers);
    StandaloneCluster cluster = new StandaloneCluster(dir, testClasspath(), ports[0], ports[1]);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      // spark.port.maxRetries=0: fail loudly rather than silently bind another port than ours.
      // No REST submission server: Spark 4 starts one by default, on the fixed port 6066, which
      // another cluster on this machine may hold.
      cluster.master =
          cluster.launch(
              "master",
              ports[0],
              concat(
                  List.of("-Dspark.port.maxRetries=0", "-Dspark.master.rest.enabled=false"),
                  daemonOptions),
              MASTER_CLASS,
              "--host",
              HOST,
              "--port",
              String.valueOf(ports[0]),
              "--webui-port",
              String.valueOf(ports[1]));
      // Workers started before the master answers wait 5-15 s between registration attempts.
      cluster.awaitCondition(
          "master on " + cluster.masterUrl() + " to be ALIVE",
          MASTER_START_TIMEOUT,
          () ->
              cluster
                  .masterJson()
                  .map(j -> "ALIVE".equals(j.path("status").asText()))
                  .orElse(false));
      for (int i = 0; i < workers; i++) {
        int port = ports[2 + 2 * i];
        Path workerDir = createDirectories(dir.resolve("worker-" + i));
        cluster.workers.add(
            cluster.launch(
                "worker-" + i,
                port,
                daemonOptions,
                WORKER_CLASS,
                cluster.masterUrl(),
                "--host",
                HOST,
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(ports[3 + 2 * i]),
                "--cores",
                String.valueOf(coresPerWorker),
                "--memory",
                memoryPerWorker,
                "--work-dir",
                workerDir.toString()));
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The test JVM's classpath ({@code java.class.path}): Spark, the project, the test classes. */
  public static String testClasspath() {
    return System.getProperty("java.class.path");
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://" + HOST + ":" + masterPort;
  }

  /** The master's web UI, {@code http://127.0.0.1:PORT}. */
  public String masterWebUiUrl() {
    return "http://" + HOST + ":" + masterUiPort;
  }

  /** The directory with logs and worker work dirs. */
  public Path workDir() {
    return workDir;
  }

  /** Number of workers this cluster started (alive or not). */
  public int workerCount() {
    return workers.size();
  }

  /** Workers the master reports ALIVE now; 0 when the master does not answer. */
  public int aliveWorkers() {
    return masterJson().map(StandaloneCluster::countAliveWorkers).orElse(0);
  }

  /**
   * Waits until the master reports at least {@code n} ALIVE workers.
   *
   * @throws IllegalStateException on timeout or when a process of this cluster died meanwhile; the
   *     message has the tails of the master and worker logs
   */
  public void awaitWorkers(int n, Duration timeout) {
    awaitCondition(n + " ALIVE worker(s) on " + masterUrl(), timeout, () -> aliveWorkers() >= n);
  }

  /**
   * Pids of the live executor JVMs launched by this cluster's workers: {@code
   * CoarseGrainedExecutorBackend} processes whose {@code --worker-url} is one of this cluster's
   * workers. Sorted ascending.
   */
  public List<Long> executorPids() {
    return executorsOf(workerUrls(workers)).stream().map(ProcessHandle::pid).sorted().toList();
  }

  /**
   * Waits until exactly {@code n} executor JVMs of this cluster are alive and returns their pids.
   *
   * @throws IllegalStateException on timeout, with the pids seen last and the log tails
   */
  public List<Long> awaitExecutors(int n, Duration timeout) {
    AtomicReference<List<Long>> last = new AtomicReference<>(List.of());
    try {
      awaitCondition(
          n + " executor JVM(s) of " + masterUrl(),
          timeout,
          () -> last.updateAndGet(previous -> executorPids()).size() == n);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "executors seen last: " + last.get() + "; " + e.getMessage(), e);
    }
    return last.get();
  }

  /**
   * Kills an executor of this cluster like {@code kill -9} and waits until it has exited.
   *
   * @throws IllegalArgumentException if {@code pid} is not a live executor of this cluster
   */
  public void killExecutor(long pid) {
    List<Long> executors = executorPids();
    if (!executors.contains(pid)) {
      throw new IllegalArgumentException(
          "pid "
              + pid
              + " is not a live executor of "
              + masterUrl()
              + " (executors: "
              + executors
              + ")");
    }
    ProcessHandle.of(pid).ifPresent(StandaloneCluster::killAndWait);
  }

  /**
   * Kills worker {@code index} (0-based) and its executors like {@code kill -9} (a lost machine)
   * and waits until they have exited. The master drops the worker when the connection breaks.
   */
  public void killWorker(int index) {
    if (index < 0 || index >= workers.size()) {
      throw new IndexOutOfBoundsException(
          "worker index " + index + " not in [0, " + workers.size() + ")");
    }
    Daemon worker = workers.get(index);
    killedWorkers.add(worker.name());
    List<ProcessHandle> executors = executorsOf(workerUrls(List.of(worker)));
    killAndWait(worker.process().toHandle());
    executors.forEach(StandaloneCluster::killAndWait);
  }

  /**
   * Stops the workers (SIGTERM: a worker stops its executors), then any executor left, then the
   * master, killing what is still alive after 15 s; waits until all have exited.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ProcessHandle> executors = executorsOf(workerUrls(workers));
    workers.forEach(w -> w.process().destroy());
    workers.forEach(w -> stopAndWait(w.process().toHandle()));
    executors.forEach(StandaloneCluster::killAndWait);
    if (master != null) {
      master.process().destroy();
      stopAndWait(master.process().toHandle());
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: nothing left for it to do.
    }
  }

  // --- processes ---------------------------------------------------------------------------------

  private Daemon launch(
      String name, int port, List<String> jvmOptions, String mainClass, String... args) {
    Path log = workDir.resolve("logs").resolve(name + ".log");
    List<String> options = new ArrayList<>();
    // Quicker startup of these mostly idle JVMs (tests start many of them on few cores).
    options.add("-XX:TieredStopAtLevel=1");
    options.addAll(jvmOptions);
    Process process =
        ChildJvm.of(mainClass, Arrays.asList(args))
            .heap("512m")
            .tmpDir(workDir.resolve("tmp"))
            .options(options)
            .classpath(classpath)
            .directory(workDir)
            .env("SPARK_LOCAL_IP", HOST)
            // the Scala line of this build (2.13 on Spark 4, 2.12 on Spark 3.5)
            .env(
                "SPARK_SCALA_VERSION",
                scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"))
            // Workers build executor commands from SPARK_HOME/jars (empty) + SPARK_DIST_CLASSPATH.
            .env("SPARK_HOME", workDir.resolve("spark-home").toString())
            .env("SPARK_DIST_CLASSPATH", jarsOnly(classpath))
            .env("SPARK_LOCAL_DIRS", workDir.resolve("tmp").toString())
            .env("SPARK_CONF_DIR", null)
            .start(log);
    return new Daemon(name, port, process, log);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String jarsOnly(String classpath) {
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(e -> e.endsWith(".jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean isExecutorOf(ProcessHandle process, Set<String> workerUrls) {
    List<String> args = commandLine(process.pid());
    int i = args.indexOf("--worker-url");
    return args.contains(EXECUTOR_CLASS)
        && i >= 0
        && i + 1 < args.size()
        && workerUrls.contains(args.get(i + 1))
        && process.isAlive();
  }

  /**
   * The full command line of a process (program and arguments), empty when it is gone or not
   * readable. On Linux it is read from {@code /proc/PID/cmdline}: {@link ProcessHandle.Info}
   * truncates it to one page there, which cuts a JVM's long {@code -cp} short.
   */
  public static List<String> commandLine(long pid) {
    Path proc = Paths.get("/proc", Long.toString(pid), "cmdline");
    if (Files.exists(proc)) {
      try {
        String raw = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
        return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
      } catch (IOException e) {
        return List.of();
      }
    }
    return ProcessHandle.of(pid)
        .flatMap(
            p ->
                p.info()
                    .arguments()
                    .map(
                        a -> {
                          List<String> all = new ArrayList<>();
                          all.add(p.info().command().orElse(""));
                          all.addAll(Arrays.asList(a));
                          return all;
                        }))
        .orElse(List.of());
  }

  /** The {@code --worker-url} that workers give the executors they launch. */
  private static Set<String> workerUrls(List<Daemon> workers) {
    return workers.stream()
        .map(w -> "spark://Worker@" + HOST + ":" + w.port())
        .collect(Collectors.toSet());
  }

  private static List<ProcessHandle> executorsOf(Set<String> workerUrls) {
    return ProcessHandle.allProcesses().filter(p -> isExecutorOf(p, workerUrls)).toList();
  }

  private static void killAndWait(ProcessHandle process) {
    process.destroyForcibly();
    waitForExit(process, STOP_TIMEOUT);
  }

  private static void stopAndWait(ProcessHandle process) {
    if (!waitForExit(process, STOP_TIMEOUT)) {
      killAndWait(process);
    }
  }

  private static boolean waitForExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return !process.isAlive();
    }
  }

  /** Last resort of the shutdown hook: no waiting for graceful stops. */
  private void destroyAllForcibly() {
    List<ProcessHandle> all = new ArrayList<>();
    workers.forEach(w -> all.add(w.process().toHandle()));
    all.forEach(w -> w.descendants().forEach(ProcessHandle::destroyForcibly));
    all.forEach(ProcessHandle::destroyForcibly);
    if (master != null) {
      master.process().destroyForcibly();
    }
  }

  // --- master JSON and waiting -------------------------------------------------------------------

  /** The master's {@code /json/} document, empty when it does not answer (yet). */
  private Optional<JsonNode> masterJson() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(masterWebUiUrl() + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(json.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static int countAliveWorkers(JsonNode masterJson) {
    int alive = 0;
    for (JsonNode worker : masterJson.path("workers")) {
      if ("ALIVE".equals(worker.path("state").asText())) {
        alive++;
      }
    }
    return alive;
  }

  /** Polls {@code condition}; fails fast with log tails when the master or a worker died. */
  private void awaitCondition(String what, Duration timeout, Callable<Boolean> condition) {
    try {
      await(what)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                checkDaemonsAlive(what);
                return condition.call();
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "timed out after " + timeout.toSeconds() + " s waiting for " + what + logTails(), e);
    }
  }

  private void checkDaemonsAlive(String what) {
    List<Daemon> all = new ArrayList<>(workers);
    if (master != null) {
      all.add(0, master);
    }
    for (Daemon d : all) {
      if (!d.process().isAlive() && !killedWorkers.contains(d.name())) {
        throw new IllegalStateException(
            d.name()
                + " exited with status "
                + d.process().exitValue()
                + " while waiting for "
                + what
                + logTails());
      }
    }
  }

  private String logTails() {
    StringBuilder out = new StringBuilder();
    List<Daemon> all = new ArrayList<>(workers);
    if (master != null) {
      all.add(0, master);
    }
    for (Daemon d : all) {
      out.append("\n--- last ").append(LOG_TAIL_LINES).append(" lines of ").append(d.log());
      out.append(':');
      for (String line : ChildJvm.tail(d.log(), LOG_TAIL_LINES)) {
        out.append("\n    ").append(line);
      }
    }
    return out.toString();
  }

  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        socket.setReuseAddress(true);
        sockets.add(socket);
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find " + count + " free ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // Closing an unconnected server socket does not fail in practice.
        }
      }
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir, e);
    }
  }
}
