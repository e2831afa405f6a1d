package sparktrain.train.barrier;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.train.barrier.BarrierEngineTest.config;
import static sparktrain.train.barrier.BarrierEngineTest.engine;
import static sparktrain.train.barrier.BarrierEngineTest.maxDiff;
import static sparktrain.train.barrier.BarrierEngineTest.mnist;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.JobConfig;
import sparktrain.config.TrainingConfig;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.model.NetworkFactory;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.MiniBatches;
import sparktrain.train.TrainingMasters;

/**
 * The barrier engine ends where DL4J's engine ends when both see the same minibatches per worker
 * (Spark 3.5 build only: DL4J's Spark module exists for Scala 2.12 only).
 */
class BarrierDl4jEquivalenceTest extends LocalSparkTestBase {
  private static final MiniBatches.LabelLayout COLUMN = MiniBatches.LabelLayout.COLUMN;

  @Test
  void endsWithTheParametersOfDl4jsEngineOnTheSameMinibatchesPerWorker() {
    int batch = 16;
    JobConfig config =
        config(
            "training.batch-size-per-worker=" + batch,
            // one round per epoch: DL4J then keeps each partition with its worker, in order
            "training.averaging-frequency=10",
            "training.rdd-approach=direct",
            "training.repartition=never");
    JavaRDD<Example> data = mnist(320, 2);
    MultiLayerNetwork barrierNet = NetworkFactory.create(config.model(), 5);
    MultiLayerNetwork dl4jNet = NetworkFactory.create(config.model(), 5);
    try (BarrierEngine e = engine(config, barrierNet, data, 2)) {
      e.fitEpoch(1, 0, "test", "epoch 1");
    }
    JavaRDD<DataSet> batches = MiniBatches.of(data, batch, COLUMN, 10, Normalizer.imageScale());
    TrainingConfig training = config.training();
    new SparkDl4jMultiLayer(sc, dl4jNet, TrainingMasters.create(training, 2, "unused"))
        .fit(batches);

    assertThat(maxDiff(barrierNet.params(), dl4jNet.params())).isLessThanOrEqualTo(1e-6);
    INDArray u1 = barrierNet.getUpdater().getStateViewArray();
    INDArray u2 = dl4jNet.getUpdater().getStateViewArray();
    assertThat(maxDiff(u1, u2)).as("Adam's state").isLessThanOrEqualTo(1e-6);
    assertThat(barrierNet.getLayerWiseConfigurations().getIterationCount())
        .isEqualTo(dl4jNet.getLayerWiseConfigurations().getIterationCount());
  }
}
