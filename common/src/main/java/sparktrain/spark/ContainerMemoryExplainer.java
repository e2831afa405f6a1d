package sparktrain.spark;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in plain words, on the console and in the driver log, why an executor was lost when its
 * cluster manager killed its container for using more memory than the container allows.
 *
 * <p>On YARN such an executor just dies (exit 143 in the logs of its node): the ApplicationMaster
 * learns the reason from the NodeManager ("... is running beyond physical memory limits", exit
 * status -104) and Spark's driver gets it as the executor's loss reason, among its INFO lines. ND4J
 * keeps a network's arrays off-heap, outside {@code -Xmx}, so this is the usual way a DL4J executor
 * fails on YARN or Kubernetes: this listener turns that reason into an ERROR naming what was
 * exceeded and the settings to raise ({@code spark.executor.memoryOverhead}) or to cap (JavaCPP's
 * {@code maxbytes} and {@code maxphysicalbytes}), with their current values.
 *
 * <p>The first such loss of an application gets the whole explanation, later ones a short line
 * (YARN keeps replacing the killed containers, and each replacement is killed the same way). {@link
 * #killsOf} tells the driver's own code (the barrier engine's wait for task slots) how many
 * executors were lost this way, so that it can fail with the reason instead of waiting out its
 * timeout and blaming the slot count.
 */
public final class ContainerMemoryExplainer extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerMemoryExplainer.class);

  /** YARN's "1.2 GB of 1 GB physical memory used" (Spark copies it into the loss reason). */
  private static final Pattern YARN_USAGE =
      Pattern.compile("([0-9.]+ ?[KMGT]?B) of ([0-9.]+ ?[KMGT]?B) physical memory used");

  private static final Pattern MAX_BYTES =
      Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.maxbytes=(\\S+)");
  private static final Pattern MAX_PHYSICAL_BYTES =
      Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.maxphysicalbytes=(\\S+)");

  /** Executors lost to their container's memory limit, by application id. */
  private static final Map<String, Kills> KILLS = new ConcurrentHashMap<>();

  /**
   * Executors of one application killed for their containers' memory.
   *
   * @param count how many
   * @param first the explanation of the first one
   */
  public record Kills(int count, String first) {}

  private final SparkConf conf;
  private final String appId;

  /** Explains losses of executors started with {@code conf} (the application's Spark conf). */
  public ContainerMemoryExplainer(SparkConf conf) {
    this.conf = conf.clone();
    this.appId = conf.get("spark.app.id", "");
  }

  /**
   * The executors of application {@code appId} killed so far for their containers' memory, if any
   * (only where the session has this listener: every non-local sparktrain session).
   */
  public static Optional<Kills> killsOf(String appId) {
    return Optional.ofNullable(KILLS.get(appId));
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    explain(removed.executorId(), removed.reason())
        .ifPresent(text -> LOG.error(record(removed.executorId(), text)));
  }

  /** Counts the kill; returns the line to log: the whole text the first time, else a short one. */
  String record(String executorId, String text) {
    Kills kills =
        KILLS.merge(
            appId, new Kills(1, text), (old, one) -> new Kills(old.count() + 1, old.first()));
    if (kills.count() == 1) {
      return text;
    }
    Matcher usage = YARN_USAGE.matcher(text);
    return "executor "
        + executorId
        + " was killed for exceeding its container's physical memory limit too"
        + (usage.find() ? " (" + usage.group(1) + " of " + usage.group(2) + ")" : "")
        + ": "
        + kills.count()
        + " executors so far; what to raise is in the first such message";
  }

  /**
   * The explanation for an executor lost for {@code reason}, or empty when the reason is not a
   * container killed for its memory (e.g. a node lost, an executor killed by hand).
   */
  public Optional<String> explain(String executorId, String reason) {
    if (reason == null) {
      return Optional.empty();
    }
    String lower = reason.toLowerCase(Locale.ROOT);
    boolean yarn = lower.contains("physical memory limits");
    boolean kubernetes = lower.contains("oomkilled") || lower.contains("possible container oom");
    if (!yarn && !kubernetes) {
      return Optional.empty();
    }
    Matcher usage = YARN_USAGE.matcher(reason);
    String exceeded =
        usage.find()
            ? "it used " + usage.group(1) + " of its container's " + usage.group(2)
            : "it used more than its container allows";
    String options = conf.get("spark.executor.extraJavaOptions", "");
    return Optional.of(
        "executor "
            + executorId
            + " was killed by "
            + (yarn ? "YARN" : "Kubernetes")
            + " for exceeding its container's physical memory limit: "
            + exceeded
            + " (the container holds spark.executor.memory="
            + conf.get("spark.executor.memory", "1g")
            + " of heap plus spark.executor.memoryOverhead="
            + conf.get("spark.executor.memoryOverhead", "max(384m, 10% of the heap)")
            + " for everything outside the heap). ND4J keeps the network's arrays off-heap:"
            + " raise spark.executor.memoryOverhead, and cap ND4J's off-heap memory below it with"
            + " -Dorg.bytedeco.javacpp.maxbytes (now "
            + valueOf(MAX_BYTES, options)
            + ") and -Dorg.bytedeco.javacpp.maxphysicalbytes (now "
            + valueOf(MAX_PHYSICAL_BYTES, options)
            + ", at most memory + memoryOverhead) in spark.executor.extraJavaOptions; see"
            + " conf/spark-defaults.conf.example. The cluster manager's words: "
            + reason.strip());
  }

  private static String valueOf(Pattern option, String javaOptions) {
    Matcher m = option.matcher(javaOptions);
    return m.find() ? m.group(1) : "unset";
  }
}
