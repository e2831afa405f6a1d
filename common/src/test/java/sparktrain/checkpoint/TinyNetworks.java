package sparktrain.checkpoint;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny trained networks and metadata for checkpoint tests. */
public final class TinyNetworks {
  private TinyNetworks() {}

  /** A 4-3-2 Adam network fitted a few steps on random data, so its updater state is non-zero. */
  public static MultiLayerNetwork trained(long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(0.01))
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build())
            .layer(softmaxOutput())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Random random = new Random(seed);
    float[][] features = new float[8][4];
    float[][] labels = new float[8][2];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        features[i][j] = (float) random.nextGaussian();
      }
      labels[i][random.nextInt(2)] = 1f;
    }
    DataSet data = new DataSet(Nd4j.create(features), Nd4j.create(labels));
    for (int i = 0; i < 3; i++) {
      net.fit(data);
    }
    return net;
  }

  /** A 3-2 softmax output layer alone, initialised with {@code seed} and not trained. */
  public static MultiLayerNetwork softmax(long seed) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder().seed(seed).list().layer(softmaxOutput()).build());
    net.init();
    return net;
  }

  /** A softmax output layer of 3 inputs and 2 classes. */
  private static OutputLayer softmaxOutput() {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(3)
        .nOut(2)
        .activation(Activation.SOFTMAX)
        .build();
  }

  static INDArray updaterState(MultiLayerNetwork net) {
    return net.getUpdater().getStateViewArray();
  }

  static CheckpointMetadata meta(int epoch, String runId, String parent) {
    return new CheckpointMetadata(
        epoch,
        10L * epoch,
        runId,
        parent,
        Map.of("loss", 0.5 / (epoch + 1)),
        "training.epochs = 5\n",
        Map.of("git_commit", "abc123"));
  }
}
