package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import sparktrain.config.JobConfig;
import sparktrain.data.Example;
import sparktrain.data.FeatureBatch;
import sparktrain.data.IdxDataset;
import sparktrain.data.Normalizer;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.MiniBatches;

/**
 * The one-pass scoring path gives exactly the numbers of the two-pass one: {@link ForwardPass}
 * against {@code output} and {@code scoreExamples} on the same minibatch, and the IDX minibatches
 * decoded from the bytes against the examples the reader makes, batched as training does.
 */
class ForwardPassTest extends LocalSparkTestBase {

  @Test
  void onePassGivesTheOutputsAndLossesOfOutputAndScoreExamplesBitForBit() throws Exception {
    JobConfig config = ScoringFixtures.config(ScoringFixtures.SMALL_MLP);
    MultiLayerNetwork net = ScoringFixtures.trained(config, 20);
    for (int size : new int[] {1, 16, 200}) {
      DataSet b = ScoringFixtures.Mnist.read("t10k", size).batch(0, size, 1 / 255f);
      ForwardPass.Result r = ForwardPass.run(net, b.getFeatures(), b.getLabels());
      assertThat(r.rows()).isEqualTo(size);
      assertThat(r.width()).isEqualTo(10);
      assertThat(r.outputs()).isEqualTo(net.output(b.getFeatures(), false).data().asDouble());
      assertThat(r.loss()).isEqualTo(net.scoreExamples(b, false).data().asDouble());
      assertThat(ForwardPass.outputs(net, b.getFeatures()))
          .isEqualTo(net.output(b.getFeatures(), false).data().asFloat());
    }
  }

  @Test
  void bulkMatrixEqualsNd4jCreate() {
    float[] values = new float[3 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.37f - 2;
    }
    assertThat(ForwardPass.matrix(values, 3, 5))
        .isEqualTo(Nd4j.create(values, new long[] {3, 5}, 'c'));
  }

  @Test
  void idxBatchesHoldTheValuesOfTheExamplesBatchedAsTrainingDoes() {
    String dir = LocalSpark.resource("mnist").toString();
    String images = dir + "/t10k-images-idx3-ubyte";
    String labels = dir + "/t10k-labels-idx1-ubyte";
    Normalizer scale = Normalizer.imageScale();
    List<FeatureBatch> batches =
        IdxDataset.readBatches(sc, images, labels, 0, 130, 2, 32, 784, scale).collect();
    JavaRDD<Example> examples = IdxDataset.read(sc, images, labels, 130, 2);
    List<DataSet> expected =
        MiniBatches.of(examples, 32, MiniBatches.LabelLayout.COLUMN, 10, scale).collect();
    assertThat(batches).hasSameSizeAs(expected);
    List<Long> firsts = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      FeatureBatch fb = batches.get(i);
      DataSet ds = expected.get(i);
      firsts.add(fb.first());
      assertThat(fb.features()).isEqualTo(ds.getFeatures());
      assertThat(fb.labels()).isEqualTo(ds.getLabels().data().asDouble());
    }
    // partitions [0, 65) and [65, 130), each in minibatches of at most 32
    assertThat(firsts).containsExactly(0L, 32L, 64L, 65L, 97L, 129L);
  }
}
