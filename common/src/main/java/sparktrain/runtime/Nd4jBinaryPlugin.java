package sparktrain.runtime;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Spark plugin that lets every executor pick its ND4J binary ({@link Nd4jBinary#select}) when it
 * starts, before a task loads ND4J: each executor looks at its own CPU, so a cluster of mixed
 * machines is fine. sparktrain's jobs add it to {@code spark.plugins}; a Spark job of your own that
 * calls sparktrain's library can add {@code spark.plugins=sparktrain.runtime.Nd4jBinaryPlugin}
 * (without it, executors load the generic binary: correct, slower).
 */
public final class Nd4jBinaryPlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new Executor();
  }

  /** The executor side: picks the binary at executor start. */
  static final class Executor implements ExecutorPlugin {
    @Override
    public void init(PluginContext ctx, Map<String, String> extraConf) {
      Nd4jBinary.select();
    }
  }
}
