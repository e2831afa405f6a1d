package sparktrain.spark;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.scheduler.ExternalClusterManager;
import scala.Tuple2;

/**
 * Checks Spark's own arguments on the driver before the SparkSession is created, so that a master
 * URL Spark cannot parse, a deploy mode it does not know or a setting value it rejects is a user
 * error (exit 2) naming the argument and the accepted forms, instead of a {@code SparkException}
 * with a stack trace from inside {@code SparkContext}'s constructor.
 *
 * <p>The master forms are Spark's own ({@code SparkContext.createTaskScheduler}): {@code local},
 * {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code local-cluster[N,C,M]}, {@code
 * spark://HOST:PORT[,HOST:PORT...]}, and whatever a cluster manager on the classpath accepts
 * ({@code yarn}, {@code k8s://...} with Spark's YARN or Kubernetes module). Values of Spark's
 * registered settings ({@code spark.executor.memory = lots}, ...) are converted the way Spark reads
 * them.
 */
public final class SparkArguments {
  /** Where {@code --master}'s value is named in messages when it came from the Spark conf. */
  public static final String MASTER_KEY = "spark.master";

  /** The deploy mode key. */
  public static final String DEPLOY_MODE_KEY = "spark.submit.deployMode";

  static final String MASTER_FORMS =
      "local, local[N], local[*], local[N,F] (N threads, F task failures allowed),"
          + " local-cluster[N,C,M] (N workers of C cores and M MiB), spark://HOST:PORT (or"
          + " spark://HOST1:PORT1,HOST2:PORT2), or yarn / k8s://URL when Spark's YARN or"
          + " Kubernetes module is on the classpath (submit with a Spark installation's"
          + " spark-submit: submit-scripts/spark-submit.sh)";

  private static final Pattern LOCAL_N = Pattern.compile("local\\[([0-9]+|\\*)\\]");
  private static final Pattern LOCAL_N_FAILURES =
      Pattern.compile("local\\[([0-9]+|\\*)\\s*,\\s*([0-9]+)\\]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*]");
  private static final Pattern SPARK = Pattern.compile("spark://(.*)");

  private SparkArguments() {}

  /**
   * Checks the master and the settings of {@code conf}.
   *
   * @param conf the conf the session would be created from (its {@code spark.master} set)
   * @param masterFromCommandLine whether the master came from {@code --master} (else from the Spark
   *     conf: {@code spark-submit}, {@code spark-defaults.conf}, {@code -Dspark.master})
   * @throws SparkArgumentException listing every problem found, each naming the argument
   */
  public static void check(SparkConf conf, boolean masterFromCommandLine) {
    List<String> problems = new ArrayList<>();
    String name = masterFromCommandLine ? "--master" : MASTER_KEY;
    String master = conf.get(MASTER_KEY, "");
    String masterProblem = masterProblem(master);
    if (masterProblem != null) {
      problems.add(name + " " + master + ": " + masterProblem);
    }
    String mode = conf.get(DEPLOY_MODE_KEY, "client");
    if (!mode.equals("client") && !mode.equals("cluster")) {
      problems.add(
          DEPLOY_MODE_KEY
              + " = "
              + mode
              + ": unknown deploy mode; expected client (the driver runs here) or cluster (only"
              + " with spark-submit --deploy-mode cluster on a cluster manager)");
    } else if (mode.equals("cluster") && masterProblem == null && master.startsWith("local")) {
      problems.add(
          DEPLOY_MODE_KEY
              + " = cluster does not go with "
              + name
              + " "
              + master
              + ": a local master runs the driver in this JVM; use client, or submit to a"
              + " cluster with spark-submit --deploy-mode cluster");
    }
    problems.addAll(settingProblems(conf));
    if (!problems.isEmpty()) {
      throw new SparkArgumentException(problems);
    }
  }

  /**
   * Checks that a standalone master ({@code spark://HOST:PORT}, or several for HA) accepts
   * connections: otherwise Spark retries for about a minute and fails with "All masters are
   * unresponsive". Other masters are not checked. Call after {@link #check}.
   *
   * @throws SparkArgumentException naming the master when none of its addresses answers within
   *     {@code timeoutMillis}
   */
  public static void checkReachable(
      SparkConf conf, boolean masterFromCommandLine, int timeoutMillis) {
    String master = conf.get(MASTER_KEY, "");
    Matcher m = SPARK.matcher(master);
    if (!m.matches() || masterProblem(master) != null) {
      return;
    }
    List<String> failures = new ArrayList<>();
    for (String hostPort : m.group(1).split(",")) {
      URI uri = URI.create("spark://" + hostPort);
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), timeoutMillis);
        return; // one live master is enough (the others may be standbys)
      } catch (java.io.IOException e) {
        failures.add(hostPort + " (" + e.getMessage() + ")");
      }
    }
    throw new SparkArgumentException(
        List.of(
            (masterFromCommandLine ? "--master " : MASTER_KEY + " ")
                + master
                + ": no Spark master answers at "
                + String.join(", ", failures)
                + "; start the cluster (e.g. submit-scripts/local-cluster start, which prints its"
                + " master URL) or correct the URL"));
  }

  /** What is wrong with a master URL, or null when Spark can use it. */
  static String masterProblem(String master) {
    if (master.isBlank()) {
      return "empty; expected " + MASTER_FORMS;
    }
    if (master.equals("local")) {
      return null;
    }
    Matcher m = LOCAL_N.matcher(master);
    if (m.matches()) {
      return threads(m.group(1));
    }
    m = LOCAL_N_FAILURES.matcher(master);
    if (m.matches()) {
      String t = threads(m.group(1));
      if (t != null) {
        return t;
      }
      return Long.parseLong(shorten(m.group(2))) < 1
          ? "the number of task failures allowed (F in local[N,F]) must be >= 1"
          : null;
    }
    m = LOCAL_CLUSTER.matcher(master);
    if (m.matches()) {
      for (int g = 1; g <= 3; g++) {
        if (Long.parseLong(shorten(m.group(g))) < 1) {
          return "workers, cores and MiB per worker of local-cluster[N,C,M] must each be >= 1";
        }
      }
      return null;
    }
    m = SPARK.matcher(master);
    if (m.matches()) {
      for (String hostPort : m.group(1).split(",", -1)) {
        String p = hostPortProblem(hostPort);
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (clusterManagerAccepts(master)) {
      return null;
    }
    String lower = master.toLowerCase(Locale.ROOT);
    if (lower.equals("yarn") || lower.startsWith("k8s://") || lower.startsWith("mesos://")) {
      return "no cluster manager for it on this classpath (the embedded runner has Spark's local"
          + " and standalone schedulers only); submit with a Spark installation's spark-submit"
          + " (submit-scripts/spark-submit.sh --master "
          + master
          + " -- ...), or use one of "
          + MASTER_FORMS;
    }
    if (lower.startsWith("local")) {
      return "not a local master Spark can parse; expected " + MASTER_FORMS;
    }
    return "not a master URL Spark can parse; expected " + MASTER_FORMS;
  }

  private static String threads(String n) {
    if (n.equals("*")) {
      return null;
    }
    return Long.parseLong(shorten(n)) < 1
        ? "the number of threads (N in local[N]) must be >= 1, or * for one per core"
        : null;
  }

  /** A digit string short enough to parse as a long (the value only matters as >= 1). */
  private static String shorten(String digits) {
    String d = digits.replaceFirst("^0+(?=.)", "");
    return d.length() > 18 ? "999999999999999999" : d;
  }

  private static String hostPortProblem(String hostPort) {
    String hint =
        "expected spark://HOST:PORT (or spark://HOST1:PORT1,HOST2:PORT2), e.g."
            + " spark://127.0.0.1:7077";
    if (hostPort.isBlank()) {
      return "an empty HOST:PORT; " + hint;
    }
    try {
      URI uri = new URI("spark://" + hostPort);
      if (uri.getHost() == null
          || uri.getPort() < 0
          || (uri.getPath() != null && !uri.getPath().isEmpty())
          || uri.getQuery() != null
          || uri.getFragment() != null
          || uri.getUserInfo() != null) {
        return "'" + hostPort + "' is not HOST:PORT; " + hint;
      }
      return null;
    } catch (URISyntaxException e) {
      return "'" + hostPort + "' is not HOST:PORT (" + e.getReason() + "); " + hint;
    }
  }

  /** Whether a cluster manager on the classpath (YARN, Kubernetes, ...) accepts the URL. */
  private static boolean clusterManagerAccepts(String master) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = SparkArguments.class.getClassLoader();
    }
    try {
      for (ExternalClusterManager manager :
          ServiceLoader.load(ExternalClusterManager.class, loader)) {
        if (manager.canCreate(master)) {
          return true;
        }
      }
    } catch (java.util.ServiceConfigurationError e) {
      return false;
    }
    return false;
  }

  /**
   * The values of Spark's registered settings in {@code conf} that Spark would reject when it reads
   * them (a size without unit, a number that is not one, a value outside the allowed ones).
   */
  static List<String> settingProblems(SparkConf conf) {
    registerSparkEntries();
    List<String> problems = new ArrayList<>();
    for (Tuple2<String, String> kv : conf.getAll()) {
      String key = kv._1();
      String value = kv._2();
      if (value == null || value.contains("${")) {
        continue; // a reference Spark substitutes when it reads the value
      }
      ConfigEntry<?> entry = ConfigEntry.findEntry(key);
      if (entry == null) {
        continue;
      }
      try {
        entry.valueConverter().apply(value);
      } catch (RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        why = why.strip().replaceAll("\\s*\\R\\s*", " ");
        problems.add(key + " = " + value + ": Spark cannot read this value: " + why);
      }
    }
    return problems;
  }

  /** Spark registers its settings when their holder objects are first used. */
  private static void registerSparkEntries() {
    Object unused = org.apache.spark.internal.config.package$.MODULE$;
    unused = org.apache.spark.internal.config.Deploy$.MODULE$;
    unused = org.apache.spark.internal.config.Kryo$.MODULE$;
    unused = org.apache.spark.internal.config.Network$.MODULE$;
    unused = org.apache.spark.internal.config.UI$.MODULE$;
    unused = org.apache.spark.internal.config.Worker$.MODULE$;
    unused = org.apache.spark.internal.config.Status$.MODULE$;
    unused = org.apache.spark.sql.internal.SQLConf$.MODULE$;
  }
}
