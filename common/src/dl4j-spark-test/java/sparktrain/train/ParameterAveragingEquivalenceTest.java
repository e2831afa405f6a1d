package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.data.Example;
import sparktrain.data.IdxDataset;
import sparktrain.model.NetworkFactory;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestJobs;

/**
 * DL4J's own equivalence property, as a test of how we drive it: with one worker, Spark parameter
 * averaging gives the same parameters as single-machine training on the same data in the same
 * order.
 */
class ParameterAveragingEquivalenceTest extends LocalSparkTestBase {

  @ParameterizedTest
  @ValueSource(strings = {"export", "direct"})
  void oneWorkerSparkTrainingEqualsSingleMachineTraining(String approach) {
    int examples = 640;
    int batch = 32;
    JobConfig config =
        ConfigLoader.load(
            null,
            TestJobs.mnistSlice(
                null,
                "training.workers=1",
                "training.batch-size-per-worker=" + batch,
                // one averaging round per epoch: the worker sees the minibatches in RDD order
                "training.averaging-frequency=" + (examples / batch),
                "training.prefetch=0",
                "training.rdd-approach=" + approach,
                // export reads its minibatch paths back with textFile (2 partitions here): let DL4J
                // bring them to one partition for the one worker
                "training.repartition=when-workers-differ",
                "training.shuffle=false"));
    var training = config.training();
    var model = config.model();
    var mnist = LocalSpark.resource("mnist");
    JavaRDD<Example> ex =
        IdxDataset.read(
            sc,
            mnist.resolve("train-images-idx3-ubyte").toString(),
            mnist.resolve("train-labels-idx1-ubyte").toString(),
            examples,
            1);
    JavaRDD<DataSet> batches =
        MiniBatches.of(ex, batch, MiniBatches.LabelLayout.COLUMN, 10, 1f / 255);

    MultiLayerNetwork sparkNet = NetworkFactory.create(model, training.seed());
    MultiLayerNetwork local = NetworkFactory.create(model, training.seed());
    assertThat(sparkNet.params().equalsWithEps(local.params(), 0)).isTrue();

    String export =
        LocalSpark.resource("")
            .resolve("../../../target/tmp/export-" + approach)
            .normalize()
            .toUri()
            .toString();
    SparkDl4jMultiLayer spark1 =
        new SparkDl4jMultiLayer(sc, sparkNet, TrainingMasters.create(training, 1, export));
    List<Example> all = ex.collect(); // test-only: the single-machine side needs the data locally
    for (int epoch = 0; epoch < 2; epoch++) {
      spark1.fit(batches);
      for (int i = 0; i < all.size(); i += batch) {
        List<Example> mb = new ArrayList<>(all.subList(i, Math.min(i + batch, all.size())));
        local.fit(MiniBatches.toDataSet(mb, MiniBatches.LabelLayout.COLUMN, 10, 1f / 255));
      }
    }

    double maxDiff = spark1.getNetwork().params().sub(local.params()).amaxNumber().doubleValue();
    assertThat(maxDiff).as("max |Δparam| after 2 epochs").isLessThanOrEqualTo(1e-5);
    // and training really moved the parameters (the comparison is not between two idle nets)
    MultiLayerNetwork untrained = NetworkFactory.create(model, training.seed());
    assertThat(local.params().sub(untrained.params()).amaxNumber().doubleValue())
        .isGreaterThan(1e-2);
  }
}
