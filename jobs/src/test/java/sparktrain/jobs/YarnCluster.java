package sparktrain.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.container.Container;
import sparktrain.testing.ChildJvm;
import sparktrain.testing.StandaloneCluster;

/**
 * A real YARN cluster with HDFS for tests, in this JVM: Hadoop's {@link MiniDFSCluster} (one
 * DataNode) and {@link MiniYARNCluster} (a ResourceManager and NodeManagers that launch every
 * container as its own process, with the physical-memory check on: a container whose process tree
 * uses more than its allocation is killed, as on a production cluster). Its configuration is
 * written as {@code core-site.xml} and {@code yarn-site.xml} into a directory that {@link #submit}
 * gives {@code spark-submit} as {@code HADOOP_CONF_DIR}.
 *
 * <p>Containers get Spark from the jars the build lists in {@code target/spark-jars.txt} ({@code
 * spark.yarn.jars} with {@code local:} paths: nothing is uploaded), the application from the shaded
 * jar. {@link #sampleContainers} measures the container JVMs' resident memory against their limits.
 */
final class YarnCluster implements AutoCloseable {
  private static final Pattern CONTAINER_ID = Pattern.compile("container_[0-9e_]+");
  private static final String EXECUTOR_CLASS =
      "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";
  private static final List<String> AM_CLASSES =
      List.of(
          "org.apache.spark.deploy.yarn.ApplicationMaster",
          "org.apache.spark.deploy.yarn.ExecutorLauncher");

  private final Path dir;
  private final MiniDFSCluster hdfs;
  private final MiniYARNCluster yarn;
  private final Path confDir;
  private final Map<String, ContainerMemory> memory = new ConcurrentHashMap<>();
  private final Thread sampler;
  private final int nodeManagers;

  /** What one container's JVM used at most, against what its container allows. */
  record ContainerMemory(String containerId, String role, long limitMiB, long peakRssMiB) {
    @Override
    public String toString() {
      return role + " " + containerId + ": peak RSS " + peakRssMiB + " MiB of " + limitMiB + " MiB";
    }
  }

  private YarnCluster(
      Path dir, MiniDFSCluster hdfs, MiniYARNCluster yarn, Path confDir, int nodeManagers) {
    this.dir = dir;
    this.hdfs = hdfs;
    this.yarn = yarn;
    this.confDir = confDir;
    this.nodeManagers = nodeManagers;
    this.sampler = new Thread(this::sampleForever, "yarn-container-memory");
    sampler.setDaemon(true);
    sampler.start();
  }

  /**
   * Starts HDFS and YARN with {@code nodeManagers} NodeManagers offering {@code nodeMemoryMiB} and
   * 4 vcores each (more than the machine's cores: containers are sized by memory here), the
   * smallest container 128 MiB.
   */
  static YarnCluster start(Path dir, int nodeManagers, int nodeMemoryMiB) throws Exception {
    Path base = dir.toAbsolutePath();
    Configuration hdfsConf = new Configuration();
    hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
    hdfs.waitActive();

    YarnConfiguration conf = new YarnConfiguration(hdfs.getConfiguration(0));
    conf.set("fs.defaultFS", hdfs.getFileSystem().getUri().toString());
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    // MiniYARNCluster turns the NodeManagers' container monitor off unless told to leave it on:
    // without this the physical-memory check below is never applied.
    conf.setBoolean("yarn.minicluster.control-resource-monitoring", true);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
    // Hadoop 3.3's NodeManager skips the polling memory check whenever
    // yarn.nodemanager.resource.memory.enforced is true (its default), even without cgroups'
    // memory controller, so nothing enforces the limit (YARN-11967, fixed after 3.3.4).
    conf.setBoolean(YarnConfiguration.NM_MEMORY_RESOURCE_ENFORCED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    conf.setLong(YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, 500);
    conf.setInt(YarnConfiguration.NM_PMEM_MB, nodeMemoryMiB);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, nodeMemoryMiB);
    conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 1);
    // The capacity scheduler's one queue (the shaded minicluster has no capacity-scheduler.xml).
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.maximum-am-resource-percent", 1.0f);
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    // A nearly full test disk must not turn the NodeManagers unhealthy.
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    conf.setLong(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 600);
    MiniYARNCluster yarn = new MiniYARNCluster("sparktrain-yarn", nodeManagers, 1, 1);
    yarn.init(conf);
    yarn.start();
    if (!yarn.waitForNodeManagersToConnect(60_000)) {
      yarn.stop();
      hdfs.shutdown();
      throw new IllegalStateException(nodeManagers + " NodeManager(s) did not register in 60 s");
    }
    Path confDir = Files.createDirectories(base.resolve("hadoop-conf"));
    Configuration clientConf = new Configuration(yarn.getConfig());
    // MiniDFSCluster's rack mapping is a test class that containers do not have.
    clientConf.set(
        "net.topology.node.switch.mapping.impl", "org.apache.hadoop.net.ScriptBasedMapping");
    for (String file : List.of("core-site.xml", "yarn-site.xml")) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(file))) {
        clientConf.writeXml(out);
      }
    }
    return new YarnCluster(base, hdfs, yarn, confDir, nodeManagers);
  }

  /** The HDFS file system ({@code hdfs://127.0.0.1:PORT}). */
  FileSystem fs() throws IOException {
    return hdfs.getFileSystem();
  }

  /** {@code hdfs://HOST:PORT} + {@code path}. */
  String hdfs(String path) throws IOException {
    return fs().getUri() + path;
  }

  /**
   * {@code spark-submit --master yarn} (Spark's own {@code SparkSubmit}, as {@code
   * bin/spark-submit} runs it) of the shaded jar's CLI with {@code appArgs}, in its own JVM whose
   * output goes to {@code log}. {@code sparkConf} are extra {@code --conf} settings.
   */
  CliProcess submit(Path log, String deployMode, List<String> sparkConf, List<String> appArgs) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--master", "yarn", "--deploy-mode", deployMode));
    args.addAll(List.of("--class", SparktrainCli.class.getName()));
    List<String> conf = new ArrayList<>();
    conf.add("spark.yarn.jars=" + sparkJars());
    conf.add("spark.yarn.maxAppAttempts=1");
    conf.add("spark.yarn.submit.waitAppCompletion=true");
    conf.add("spark.yarn.report.interval=500ms");
    conf.add("spark.ui.enabled=false");
    conf.add("spark.driver.host=127.0.0.1");
    String javaHome = System.getProperty("java.home");
    for (String env : List.of("spark.yarn.appMasterEnv.", "spark.executorEnv.")) {
      conf.add(env + "JAVA_HOME=" + javaHome);
      conf.add(env + "SPARK_LOCAL_IP=127.0.0.1");
      conf.add(env + "OMP_NUM_THREADS=1");
    }
    String log4j = System.getProperty("log4j2.configurationFile");
    conf.addAll(sparkConf);
    for (String c : conf) {
      args.add("--conf");
      args.add(c);
    }
    args.add("local:" + shadedJar());
    args.addAll(appArgs);
    List<String> options = new ArrayList<>();
    if (log4j != null) {
      options.add("-Dlog4j2.configurationFile=" + log4j); // the shipped config
    }
    Process p =
        ChildJvm.of("org.apache.spark.deploy.SparkSubmit", args)
            .heap("1g")
            .options(options)
            .tmpDir(dir)
            .classpath(confDir + java.io.File.pathSeparator + StandaloneCluster.testClasspath())
            .env("HADOOP_CONF_DIR", confDir.toString())
            .env("YARN_CONF_DIR", confDir.toString())
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("OMP_NUM_THREADS", "1")
            .env("SPARK_CONF_DIR", null)
            .start(log);
    return CliProcess.of(p, log);
  }

  /** The shaded jar that {@code package} built (Failsafe names it). */
  static Path shadedJar() {
    Path jar = Paths.get(System.getProperty("sparktrain.shaded.jar", "target/missing-all.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no shaded jar " + jar + ": run the YARN tests with ./mvnw verify (after package)");
    }
    return jar.toAbsolutePath();
  }

  /** Spark's jars ({@code target/spark-jars.txt}) as {@code spark.yarn.jars}' local: list. */
  private static String sparkJars() {
    Path list = Paths.get(System.getProperty("sparktrain.spark.jars", "target/spark-jars.txt"));
    try {
      String cp = Files.readString(list, StandardCharsets.UTF_8).strip();
      return Arrays.stream(cp.split(java.io.File.pathSeparator))
          .map(j -> "local:" + j)
          .collect(Collectors.joining(","));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Spark's jar list " + list, e);
    }
  }

  // --- container JVMs ----------------------------------------------------------------------------

  /** Pids of the live executor JVMs in this cluster's containers. */
  List<Long> executorPids() {
    return ProcessHandle.allProcesses()
        .filter(p -> roleOf(StandaloneCluster.commandLine(p.pid())).equals("executor"))
        .map(ProcessHandle::pid)
        .filter(pid -> containerOf(pid).isPresent())
        .sorted()
        .toList();
  }

  /** Kills an executor's JVM like {@code kill -9} and waits until it has exited. */
  void kill(long pid) throws Exception {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Peak resident memory of every container JVM seen since the last {@link #resetMemory}. */
  List<ContainerMemory> sampleContainers() {
    return memory.values().stream()
        .sorted((a, b) -> a.containerId().compareTo(b.containerId()))
        .toList();
  }

  void resetMemory() {
    memory.clear();
  }

  private void sampleForever() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        sampleOnce();
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A process that exits while it is read: the next round sees the others.
      }
    }
  }

  private void sampleOnce() {
    Map<String, Long> limits = containerLimitsMiB();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              List<String> cmd = StandaloneCluster.commandLine(p.pid());
              String role = roleOf(cmd);
              if (role.isEmpty()) {
                return;
              }
              Optional<String> id = containerOf(p.pid());
              Long limit = id.map(limits::get).orElse(null);
              long hwm = statusKiB(p.pid(), "VmHWM") / 1024;
              if (id.isEmpty() || limit == null || hwm <= 0) {
                return;
              }
              memory.merge(
                  id.get(),
                  new ContainerMemory(id.get(), role, limit, hwm),
                  (a, b) -> a.peakRssMiB() >= b.peakRssMiB() ? a : b);
            });
  }

  private Map<String, Long> containerLimitsMiB() {
    Map<String, Long> limits = new java.util.HashMap<>();
    for (int i = 0; i < nodeManagers; i++) {
      for (Container c : yarn.getNodeManager(i).getNMContext().getContainers().values()) {
        limits.put(c.getContainerId().toString(), c.getResource().getMemorySize());
      }
    }
    return limits;
  }

  private static String roleOf(List<String> cmd) {
    if (cmd.contains(EXECUTOR_CLASS)) {
      return "executor";
    }
    return cmd.stream().anyMatch(AM_CLASSES::contains) ? "application master" : "";
  }

  /** The YARN container a process runs in: the id in its working directory's path. */
  private static Optional<String> containerOf(long pid) {
    try {
      Path cwd = Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "cwd"));
      Matcher m = CONTAINER_ID.matcher(cwd.getFileName().toString());
      return m.matches() ? Optional.of(m.group()) : Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** A {@code kB} field of {@code /proc/PID/status}, 0 when unreadable. */
  private static long statusKiB(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /**
   * The text of every container log file named {@code fileName} (e.g. {@code stderr}) of the
   * application whose id {@code spark-submit} printed in {@code submitLog}.
   */
  String containerLogs(Path submitLog, String fileName) throws IOException {
    Matcher app =
        Pattern.compile("application_[0-9]+_[0-9]+")
            .matcher(Files.readString(submitLog, StandardCharsets.UTF_8));
    // spark-submit's console (the shipped log4j2 config) names the application only on errors:
    // else the newest application of the ResourceManager, the one just submitted.
    String appId =
        app.find()
            ? app.group()
            : yarn.getResourceManager().getRMContext().getRMApps().keySet().stream()
                .max(java.util.Comparator.naturalOrder())
                .map(Object::toString)
                .orElseThrow(() -> new IllegalStateException("no application in " + submitLog));
    StringBuilder text = new StringBuilder();
    try (var files = Files.walk(Paths.get("target", "test", "data", yarn.getName()))) {
      for (Path f :
          files
              .filter(f -> f.getFileName().toString().equals(fileName))
              .filter(f -> f.toString().contains(appId))
              .sorted()
              .toList()) {
        text.append("==> ").append(f).append('\n').append(Files.readString(f)).append('\n');
      }
    }
    return text.toString();
  }

  @Override
  public void close() {
    sampler.interrupt();
    try {
      yarn.stop();
    } finally {
      hdfs.shutdown();
    }
  }

  /** How long a submitted application may take before a test gives up on it. */
  static final Duration APP_TIMEOUT = Duration.ofMinutes(4);
}
