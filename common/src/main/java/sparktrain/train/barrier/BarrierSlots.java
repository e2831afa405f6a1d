package sparktrain.train.barrier;

import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigKeys;

/**
 * Checks, before any data is read, that a barrier stage of {@code workers} tasks can be scheduled:
 * all its tasks need a free slot at once, and barrier stages cannot run with dynamic allocation.
 */
public final class BarrierSlots {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierSlots.class);

  private BarrierSlots() {}

  /**
   * Waits up to {@code wait} for executors to register until {@code workers} task slots exist.
   *
   * @throws ConfigException naming {@code training.workers} and the slots available, or the
   *     dynamic-allocation setting
   */
  public static void require(SparkContext sc, int workers, Duration wait) {
    require(sc.conf(), sc.master(), () -> slots(sc), workers, wait);
  }

  /** As {@link #require(SparkContext, int, Duration)}, with the slot count from {@code slots}. */
  static void require(
      SparkConf conf, String master, IntSupplier slotCount, int workers, Duration wait) {
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      throw new ConfigException(
          List.of(
              ConfigKeys.TRAINING_ENGINE.path()
                  + " = barrier: Spark cannot run barrier stages with"
                  + " spark.dynamicAllocation.enabled=true (all training.workers tasks must run at"
                  + " once); set spark.dynamicAllocation.enabled=false, or training.engine = dl4j"));
    }
    long deadline = System.nanoTime() + wait.toNanos();
    int slots = slotCount.getAsInt();
    while (slots < workers && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slots = slotCount.getAsInt();
    }
    if (slots < workers) {
      throw new ConfigException(
          List.of(
              "training.workers = "
                  + workers
                  + " needs "
                  + workers
                  + " task slots at once for training.engine = barrier, but "
                  + master
                  + " offers "
                  + slots
                  + " (executors x cores / spark.task.cpus, after waiting "
                  + wait.toSeconds()
                  + " s for executors); set training.workers <= "
                  + Math.max(1, slots)
                  + ", add executors or cores, or use training.engine = dl4j"));
    }
    LOG.info("Barrier engine: {} workers, {} task slots available", workers, slots);
  }

  /** Task slots the cluster offers now for the default resource profile. */
  static int slots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }
}
