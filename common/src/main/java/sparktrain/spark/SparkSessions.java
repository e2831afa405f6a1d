package sparktrain.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the {@link SparkSession} of a job.
 *
 * <p>Spark's own settings stay with Spark: whatever {@code spark-submit}, {@code
 * spark-defaults.conf} or {@code --conf} set wins. This class only fills in what DL4J needs when
 * nobody set it (Kryo with ND4J's registrator: without it INDArrays serialize wrongly) and a {@code
 * local[*]} master for the embedded runner when no master is given at all.
 */
public final class SparkSessions {
  /** Master used by the embedded runner when neither {@code --master} nor Spark conf names one. */
  public static final String EMBEDDED_MASTER = "local[*]";

  /** How long {@link #checkedConf} waits for a standalone master to accept a connection. */
  static final int MASTER_CONNECT_TIMEOUT_MS = 5000;

  /** System property naming the application jar to ship to a cluster's executors. */
  public static final String APP_JAR_PROPERTY = "sparktrain.app.jar";

  private SparkSessions() {}

  /**
   * Returns the active session, or creates one.
   *
   * @param masterOverride master URL from the command line, or {@code null} to keep Spark's
   * @param appName application name shown in the Spark UI
   */
  public static SparkSession getOrCreate(String masterOverride, String appName) {
    return getOrCreate(masterOverride, appName, conf -> {});
  }

  /**
   * Returns the active session, or creates one; on a cluster master (not {@code local[N]}) {@code
   * clusterDefaults} may add settings for the executors first (it sees what the user set).
   *
   * @param masterOverride master URL from the command line, or {@code null} to keep Spark's
   * @param appName application name shown in the Spark UI
   * @param clusterDefaults applied to the conf before the session starts, on cluster masters only
   */
  public static SparkSession getOrCreate(
      String masterOverride,
      String appName,
      java.util.function.Consumer<SparkConf> clusterDefaults) {
    SparkConf conf = checkedConf(masterOverride);
    if (!conf.contains("spark.app.name")) {
      conf.setAppName(appName);
    }
    applyDl4jDefaults(conf);
    if (sparktrain.gpu.GpuBinding.backend() == sparktrain.gpu.BackendKind.CUDA) {
      // CUDA build: fail fast with a clear message where there is no GPU, and bind every task to
      // the GPU Spark assigned to it.
      sparktrain.gpu.GpuBinding.checkBackend();
      addPlugin(conf, sparktrain.gpu.GpuTaskBindingPlugin.class.getName());
    } else {
      // CPU build: every executor loads ND4J's AVX2 binary where its CPU has AVX2
      addPlugin(conf, sparktrain.runtime.Nd4jBinaryPlugin.class.getName());
    }
    // The embedded runner names its shaded jar; executors of a real cluster need it.
    String appJar = System.getProperty(APP_JAR_PROPERTY, "");
    if (!conf.get("spark.master").startsWith("local") && !appJar.isEmpty()) {
      conf.setIfMissing("spark.jars", appJar);
    }
    if (conf.get("spark.master").startsWith("local")) {
      // One JVM: a task that runs out of memory fails its job (the driver then explains which
      // memory and what raises it, exit 1) instead of Spark's handler exiting the JVM with 52.
      conf.setIfMissing("spark.executor.killOnFatalError.depth", "0");
    }
    if (!conf.get("spark.master").startsWith("local")) {
      // Executors of a cluster: freed ND4J buffers go back to the system (in local[N] the
      // launcher's environment does it for the one JVM)
      sparktrain.runtime.NativeAllocator.applyTo(conf);
      clusterDefaults.accept(conf);
      // Executors in containers (YARN, Kubernetes): explain a container killed for its memory.
      String explainer = ContainerMemoryExplainer.class.getName();
      String listeners = conf.get("spark.extraListeners", "");
      if (!listeners.contains(explainer)) {
        conf.set(
            "spark.extraListeners", listeners.isBlank() ? explainer : listeners + "," + explainer);
      }
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static void addPlugin(SparkConf conf, String plugin) {
    String plugins = conf.get("spark.plugins", "");
    if (!plugins.contains(plugin)) {
      conf.set("spark.plugins", plugins.isBlank() ? plugin : plugins + "," + plugin);
    }
  }

  /**
   * The Spark conf a job's session is created from (Spark's system properties, {@code
   * masterOverride} or the embedded runner's {@code local[*]}), checked by {@link SparkArguments}:
   * commands call this before any other work, so that a bad {@code --master} or Spark setting is
   * reported first.
   *
   * @param masterOverride master URL from the command line, or {@code null} to keep Spark's
   * @throws SparkArgumentException naming the argument, the value and the accepted forms
   */
  public static SparkConf checkedConf(String masterOverride) {
    SparkConf conf = new SparkConf(); // loads spark.* system properties set by spark-submit
    boolean fromCommandLine = masterOverride != null && !masterOverride.isBlank();
    if (fromCommandLine) {
      conf.setMaster(masterOverride.strip());
    } else if (!conf.contains("spark.master")) {
      conf.setMaster(EMBEDDED_MASTER);
    }
    SparkArguments.check(conf, fromCommandLine);
    SparkArguments.checkReachable(conf, fromCommandLine, MASTER_CONNECT_TIMEOUT_MS);
    return conf;
  }

  /**
   * The Hadoop configuration a session of {@code conf} would have ({@code spark.hadoop.*} settings
   * and the Hadoop config files included), for checks that read the inputs before the session is
   * created.
   */
  public static Configuration hadoopConf(SparkConf conf) {
    return SparkHadoopUtil.get().newConfiguration(applyDl4jDefaults(conf.clone()));
  }

  /**
   * Sets the serializer settings DL4J needs, unless the user configured them already; ND4J's own
   * registrator (from DL4J's Spark module, Scala 2.12 only), where a config still names it, becomes
   * sparktrain's {@link Nd4jKryoRegistrator}, which does the same on both Spark lines.
   */
  public static SparkConf applyDl4jDefaults(SparkConf conf) {
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    if (Nd4jKryoRegistrator.ND4J_REGISTRATOR.equals(conf.get("spark.kryo.registrator", ""))) {
      conf.set("spark.kryo.registrator", Nd4jKryoRegistrator.class.getName());
    }
    conf.setIfMissing("spark.kryo.registrator", Nd4jKryoRegistrator.class.getName());
    conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // file: without a forked chmod per created file (see NioLocalFileSystem)
    conf.setIfMissing("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
    return conf;
  }
}
