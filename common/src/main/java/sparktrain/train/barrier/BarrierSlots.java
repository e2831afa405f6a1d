package sparktrain.train.barrier;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigKeys;
import sparktrain.spark.ContainerMemoryExplainer;
import sparktrain.spark.ContainerMemoryExplainer.Kills;
import sparktrain.train.Dl4jEngines;

/**
 * Checks, before any data is read, that a barrier stage of {@code workers} tasks can be scheduled:
 * all its tasks need a free slot at once, and barrier stages cannot run with dynamic allocation.
 * Executors that the cluster manager keeps killing for their memory never make up the slots: after
 * {@link #KILLS_TO_GIVE_UP} such kills the wait ends with the reason, not a slot count.
 */
public final class BarrierSlots {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierSlots.class);

  /**
   * Executors killed for their containers' memory, while waiting for slots, after which the wait
   * stops: the replacements are sized the same and die the same way.
   */
  static final int KILLS_TO_GIVE_UP = 4;

  private BarrierSlots() {}

  /**
   * Waits up to {@code wait} for executors to register until {@code workers} task slots exist.
   *
   * @throws ConfigException naming {@code training.workers} and the slots available, or the
   *     dynamic-allocation setting
   * @throws ExecutorsKilledException when executors were killed for their containers' memory
   *     instead of registering
   */
  public static void require(SparkContext sc, int workers, Duration wait) {
    String appId = sc.applicationId();
    require(
        sc.conf(),
        sc.master(),
        () -> slots(sc),
        () -> ContainerMemoryExplainer.killsOf(appId),
        workers,
        wait);
  }

  /**
   * As {@link #require(SparkContext, int, Duration)}, with the slot count from {@code slotCount}
   * and the executors killed for memory from {@code kills}.
   */
  static void require(
      SparkConf conf,
      String master,
      IntSupplier slotCount,
      Supplier<Optional<Kills>> kills,
      int workers,
      Duration wait) {
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      throw new ConfigException(
          List.of(
              ConfigKeys.TRAINING_ENGINE.path()
                  + " = barrier: Spark cannot run barrier stages with"
                  + " spark.dynamicAllocation.enabled=true (all training.workers tasks must run at"
                  + " once); set spark.dynamicAllocation.enabled=false"
                  + (Dl4jEngines.available() ? ", or training.engine = dl4j" : "")));
    }
    long deadline = System.nanoTime() + wait.toNanos();
    int slots = slotCount.getAsInt();
    while (slots < workers
        && System.nanoTime() < deadline
        && kills.get().map(Kills::count).orElse(0) < KILLS_TO_GIVE_UP) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slots = slotCount.getAsInt();
    }
    Optional<Kills> killed = kills.get();
    if (slots < workers && killed.isPresent()) {
      Kills k = killed.get();
      throw new ExecutorsKilledException(
          "training needs "
              + workers
              + " task slots, but "
              + k.count()
              + " executors were killed for exceeding their containers' memory instead of"
              + " registering; the first: "
              + k.first());
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
