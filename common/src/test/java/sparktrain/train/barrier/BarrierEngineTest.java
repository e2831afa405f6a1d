package sparktrain.train.barrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.config.RingSecurity;
import sparktrain.data.Example;
import sparktrain.data.IdxDataset;
import sparktrain.data.Normalizer;
import sparktrain.data.spool.Spool;
import sparktrain.data.spool.SpoolIndex;
import sparktrain.errors.UserInputException;
import sparktrain.model.NetworkFactory;
import sparktrain.spark.ContainerMemoryExplainer;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestJobs;
import sparktrain.train.Dl4jEngines;
import sparktrain.train.EpochFit;
import sparktrain.train.MiniBatches;
import sparktrain.train.RoundListener;

/**
 * The barrier engine keeps the algorithm's promises on a real local[2] Spark with MNIST slices: one
 * worker is single-machine DL4J; SGD averaged every minibatch over N workers is one machine on
 * minibatches of N x B; same seed, same model; uneven partitions finish. (That it ends where DL4J's
 * engine ends: {@code BarrierDl4jEquivalenceTest}, Spark 3.5 build only.)
 */
class BarrierEngineTest extends LocalSparkTestBase {
  private static final MiniBatches.LabelLayout COLUMN = MiniBatches.LabelLayout.COLUMN;

  static JobConfig config(String... settings) {
    List<String> all = new ArrayList<>(List.of("training.shuffle=false", "training.prefetch=0"));
    all.addAll(List.of(settings));
    return ConfigLoader.load(null, TestJobs.mnistSlice(null, all.toArray(String[]::new)));
  }

  static JavaRDD<Example> mnist(int examples, int partitions) {
    var dir = LocalSpark.resource("mnist");
    return IdxDataset.read(
            sc,
            dir.resolve("train-images-idx3-ubyte").toString(),
            dir.resolve("train-labels-idx1-ubyte").toString(),
            examples,
            partitions)
        .cache();
  }

  static BarrierEngine engine(
      JobConfig config, MultiLayerNetwork net, JavaRDD<Example> data, int workers) {
    return engine(config, net, data, workers, RoundListener.none(), 0);
  }

  private static BarrierEngine engine(
      JobConfig config,
      MultiLayerNetwork net,
      JavaRDD<Example> data,
      int workers,
      RoundListener listener,
      int everyNRounds) {
    return new BarrierEngine(
        sc,
        net,
        data,
        config.training(),
        workers,
        COLUMN,
        10,
        Normalizer.imageScale(),
        listener,
        everyNRounds);
  }

  static double maxDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  private static DataSet batch(List<Example> examples) {
    return MiniBatches.toDataSet(examples, COLUMN, 10, Normalizer.imageScale());
  }

  @Test
  void oneWorkerEqualsSingleMachineTraining() {
    int batch = 32;
    JobConfig config =
        config("training.batch-size-per-worker=" + batch, "training.averaging-frequency=5");
    JavaRDD<Example> data = mnist(640, 1);
    MultiLayerNetwork distributed = NetworkFactory.create(config.model(), 7);
    MultiLayerNetwork local = NetworkFactory.create(config.model(), 7);
    List<Example> all = data.collect(); // test only: the single-machine side needs the data here
    try (BarrierEngine e = engine(config, distributed, data, 1)) {
      for (int epoch = 1; epoch <= 2; epoch++) {
        EpochFit fit = e.fitEpoch(epoch, 0, "test", "epoch " + epoch);
        assertThat(fit.rounds()).isEqualTo(4); // 20 minibatches, averaging every 5
        for (int i = 0; i < all.size(); i += batch) {
          local.fit(batch(all.subList(i, i + batch)));
        }
      }
    }
    assertThat(maxDiff(distributed.params(), local.params())).isLessThanOrEqualTo(1e-5);
    assertThat(maxDiff(local.params(), NetworkFactory.create(config.model(), 7).params()))
        .as("training moved the parameters")
        .isGreaterThan(1e-2);
  }

  @Test
  void sgdAveragedEveryMinibatchOnTwoWorkersEqualsOneMachineOnDoubleMinibatches() {
    int batch = 16;
    JobConfig config =
        config(
            "training.batch-size-per-worker=" + batch,
            "training.averaging-frequency=1",
            "model.updater.type=sgd",
            "model.updater.learning-rate=0.1");
    JavaRDD<Example> data = mnist(320, 2);
    List<List<Example>> parts = data.glom().collect();
    assertThat(parts.get(0)).hasSize(160);
    MultiLayerNetwork distributed = NetworkFactory.create(config.model(), 3);
    MultiLayerNetwork local = NetworkFactory.create(config.model(), 3);
    try (BarrierEngine e = engine(config, distributed, data, 2)) {
      EpochFit fit = e.fitEpoch(1, 0, "test", "epoch 1");
      assertThat(fit.rounds()).isEqualTo(10);
      assertThat(fit.averageMillis()).hasSize(10);
    }
    for (int i = 0; i < 160; i += batch) {
      List<Example> both = new ArrayList<>(parts.get(0).subList(i, i + batch));
      both.addAll(parts.get(1).subList(i, i + batch));
      local.fit(batch(both));
    }
    assertThat(maxDiff(distributed.params(), local.params())).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void sameSeedSameModelAndShuffledEpochsDiffer() {
    JobConfig config =
        config(
            "training.shuffle=true",
            "training.batch-size-per-worker=16",
            "training.averaging-frequency=3");
    JavaRDD<Example> data = mnist(400, 2);
    MultiLayerNetwork a = NetworkFactory.create(config.model(), 1);
    MultiLayerNetwork b = NetworkFactory.create(config.model(), 1);
    MultiLayerNetwork unshuffled = NetworkFactory.create(config.model(), 1);
    try (BarrierEngine e = engine(config, a, data, 2)) {
      e.fitEpoch(1, 0, "test", "epoch 1");
    }
    try (BarrierEngine e = engine(config, b, data, 2)) {
      e.fitEpoch(1, 0, "test", "epoch 1");
    }
    try (BarrierEngine e =
        engine(
            config("training.batch-size-per-worker=16", "training.averaging-frequency=3"),
            unshuffled,
            data,
            2)) {
      e.fitEpoch(1, 0, "test", "epoch 1");
    }
    assertThat(maxDiff(a.params(), b.params())).isEqualTo(0.0);
    assertThat(maxDiff(a.params(), unshuffled.params())).isGreaterThan(1e-4);
  }

  @Test
  void warmUpLeavesTheNetworkAloneAndTheTrainedModelUnchanged() {
    JobConfig config =
        config(
            "training.shuffle=true",
            "training.batch-size-per-worker=16",
            "training.averaging-frequency=3");
    JavaRDD<Example> data = mnist(400, 2);
    // warmed up before its first and second epochs
    MultiLayerNetwork again = NetworkFactory.create(config.model(), 11);
    try (BarrierEngine e = engine(config, again, data, 2)) {
      INDArray start = again.params().dup();
      INDArray updater = NetworkState.updaterView(again).dup();
      int iteration = again.getLayerWiseConfigurations().getIterationCount();
      assertThat(e.warmUp(784)).isGreaterThan(0);
      assertThat(maxDiff(again.params(), start)).as("warm-up left the parameters").isEqualTo(0.0);
      assertThat(maxDiff(NetworkState.updaterView(again), updater)).isEqualTo(0.0);
      assertThat(again.getLayerWiseConfigurations().getIterationCount()).isEqualTo(iteration);
      e.fitEpoch(1, 0, "test", "epoch 1");
      e.warmUp(784);
      e.fitEpoch(2, 0, "test", "epoch 2");
    }
    MultiLayerNetwork reference = NetworkFactory.create(config.model(), 11);
    try (BarrierEngine e = engine(config, reference, data, 2)) {
      e.fitEpoch(1, 0, "test", "epoch 1");
      e.fitEpoch(2, 0, "test", "epoch 2");
    }
    assertThat(maxDiff(again.params(), NetworkFactory.create(config.model(), 11).params()))
        .as("trained")
        .isGreaterThan(1e-3);
    assertThat(maxDiff(again.params(), reference.params()))
        .as("the same model with and without warm-ups")
        .isEqualTo(0.0);
    assertThat(maxDiff(NetworkState.updaterView(again), NetworkState.updaterView(reference)))
        .isEqualTo(0.0);
    // local[N]: the driver's JVM keeps the JVM's default compilation (training.jit = auto applies
    // to a cluster's executors only)
    assertThat(sparktrain.runtime.ExecutorJit.directives())
        .contains("Directive: (default)")
        .doesNotContain(sparktrain.runtime.ExecutorJit.C2_PACKAGES.get(0));
  }

  @Test
  void aStreamedWarmUpStopsAtTheEndOfAShareThatIsNotWholeRounds(@TempDir Path tmp)
      throws Exception {
    JobConfig config =
        config(
            "training.shuffle=true",
            "training.batch-size-per-worker=16",
            "training.averaging-frequency=3");
    // 2 shares of 200 examples: 13 minibatches each, not a whole number of rounds of 3
    SpoolIndex spool =
        Spool.prepare(sc, mnist(400, 2), tmp.resolve("spool").toUri().toString(), "k", true, 5, 2);
    MultiLayerNetwork net = NetworkFactory.create(config.model(), 11);
    INDArray start = net.params().dup();
    try (BarrierEngine e =
        new BarrierEngine(
            sc,
            net,
            spool,
            config.training(),
            2,
            COLUMN,
            10,
            Normalizer.imageScale(),
            RoundListener.none(),
            0)) {
      e.warmUp(784);
      assertThat(e.warmUpFailure()).isNull();
      assertThat(maxDiff(net.params(), start)).isEqualTo(0.0);
      e.fitEpoch(1, 0, "test", "epoch 1");
    }
    assertThat(maxDiff(net.params(), start)).isGreaterThan(1e-4);
  }

  @Test
  void unevenPartitionsRunTheSameRoundsAndUseEveryMinibatch() {
    JobConfig config =
        config("training.batch-size-per-worker=10", "training.averaging-frequency=4");
    JavaRDD<Example> uneven =
        mnist(400, 1).mapPartitionsWithIndex((i, it) -> it, false).repartition(2);
    // 2 partitions of unequal size: keep the first 100 of one and all of the other
    JavaRDD<Example> skewed =
        uneven.mapPartitionsWithIndex(
            (i, it) -> {
              List<Example> out = new ArrayList<>();
              it.forEachRemaining(out::add);
              return (i == 0 ? out.subList(0, 50) : out).iterator();
            },
            false);
    MultiLayerNetwork net = NetworkFactory.create(config.model(), 2);
    List<Integer> roundsSeen = new ArrayList<>();
    try (BarrierEngine e =
        engine(config, net, skewed, 2, (round, total) -> roundsSeen.add(round), 2)) {
      EpochFit fit = e.fitEpoch(1, 0, "test", "epoch 1");
      // 5 and 20 minibatches: 5 rounds of 4 for the bigger worker, in stages of 2 rounds
      assertThat(fit.rounds()).isEqualTo(5);
      assertThat(fit.stages()).isEqualTo(3);
      assertThat(fit.fitMillis()).hasSize(5);
      assertThat(fit.trainLoss()).isFinite();
    }
    assertThat(roundsSeen).containsExactly(2, 4, 5);
    assertThat(net.getLayerWiseConfigurations().getIterationCount()).isEqualTo(20);
  }

  @Test
  void moreWorkersThanTaskSlotsIsAConfigErrorNamingTheSlots() {
    assertThatThrownBy(() -> BarrierSlots.require(sc.sc(), 3, Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("training.workers = 3")
        .hasMessageContaining("offers 2");
  }

  @Test
  void dynamicAllocationIsAConfigErrorAndSlotsThatAppearInTimeAreAccepted() {
    SparkConf dynamic = new SparkConf().set("spark.dynamicAllocation.enabled", "true");
    assertThatThrownBy(
            () ->
                BarrierSlots.require(
                    dynamic, "spark://m:7077", () -> 8, Optional::empty, 2, Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("spark.dynamicAllocation.enabled=false")
        // the other engine is suggested only where this build has it (not on Spark 4)
        .satisfies(
            e ->
                assertThat(e.getMessage().contains("training.engine = dl4j"))
                    .isEqualTo(Dl4jEngines.available()));
    // executors registering while the check waits: 0, 1, then 2 slots
    int[] calls = {0};
    BarrierSlots.require(
        new SparkConf(),
        "spark://m:7077",
        () -> Math.min(2, calls[0]++),
        Optional::empty,
        2,
        Duration.ofSeconds(5));
    assertThat(calls[0]).isEqualTo(3);
  }

  @Test
  void executorsKilledForTheirMemoryEndTheWaitWithTheReasonNotASlotCount() {
    int[] kills = {0};
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                BarrierSlots.require(
                    new SparkConf(),
                    "yarn",
                    () -> 0,
                    () -> {
                      kills[0]++;
                      return Optional.of(
                          new ContainerMemoryExplainer.Kills(
                              kills[0] / 2, "executor 1 was killed by YARN for exceeding ..."));
                    },
                    2,
                    Duration.ofMinutes(5)))
        .isInstanceOf(ExecutorsKilledException.class)
        .hasMessageContaining("training needs 2 task slots")
        .hasMessageContaining("executors were killed for exceeding their containers' memory")
        .hasMessageContaining("the first: executor 1 was killed by YARN")
        // a failure (exit 1), not a config error: the config file is not what is wrong
        .isNotInstanceOf(UserInputException.class);
    // stopped after KILLS_TO_GIVE_UP kills, long before the 5 minutes
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void ringKeyIsDrawnPerRunOnlyForAClusterRingAndRequiredNeedsSparkAuthentication() {
    SparkConf plain = new SparkConf(false);
    SparkConf authenticated = new SparkConf(false).set("spark.authenticate", "true");
    byte[] a = BarrierEngine.ringKey(plain, RingSecurity.AUTO, false);
    byte[] b = BarrierEngine.ringKey(plain, RingSecurity.AUTO, false);
    assertThat(a).hasSize(32).isNotEqualTo(b);
    assertThat(BarrierEngine.ringKey(authenticated, RingSecurity.REQUIRED, false)).hasSize(32);
    assertThat(BarrierEngine.ringKey(plain, RingSecurity.OFF, false)).isNull();
    // local[N]: no sockets, nothing to key, whatever the setting
    assertThat(BarrierEngine.ringKey(plain, RingSecurity.REQUIRED, true)).isNull();
    assertThatThrownBy(() -> BarrierEngine.ringKey(plain, RingSecurity.REQUIRED, false))
        .isInstanceOf(ConfigException.class)
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("training.ring-security = required")
        .hasMessageContaining("spark.authenticate=true");
  }
}
