package sparktrain.gpu;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark plugin that binds each executor task to the GPU Spark assigned to it: enable it with {@code
 * spark.plugins=sparktrain.gpu.GpuTaskBindingPlugin}.
 *
 * <p>DL4J's training runs inside its own Spark functions, where sparktrain cannot add code; a
 * plugin's {@code onTaskStart} runs on the task's thread before the task, with its {@code
 * TaskContext} set, which is where ND4J's per-thread device must be chosen. At executor start the
 * plugin checks that the CUDA build can run there: if not, the executor fails to start and the
 * driver logs "Unable to create executor due to" the reason. In the CPU build it does nothing.
 */
public final class GpuTaskBindingPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(GpuTaskBindingPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new Executor();
  }

  /** The executor side. */
  static final class Executor implements ExecutorPlugin {
    @Override
    public void init(PluginContext ctx, Map<String, String> extraConf) {
      GpuBinding.checkExecutor(ctx.executorID(), ctx.resources());
    }

    @Override
    public void onTaskStart() {
      try {
        GpuBinding.bindToAssignedGpu();
      } catch (RuntimeException e) {
        // Spark ignores exceptions thrown here (logs them at INFO): say it loudly ourselves.
        LOG.error("could not bind this task to its GPU: {}", e.getMessage(), e);
      }
    }
  }
}
