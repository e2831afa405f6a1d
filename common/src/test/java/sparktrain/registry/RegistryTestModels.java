package sparktrain.registry;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import sparktrain.checkpoint.CheckpointMetadata;

/** Small real networks and metadata for registry tests. */
final class RegistryTestModels {
  private RegistryTestModels() {}

  /** A 4-3-2 Adam network fitted a few steps on random data (non-zero updater state). */
  static MultiLayerNetwork trained(long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(0.01))
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nIn(3)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
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

  /** Metadata of a model trained in run {@code runId}, continuing {@code parent}. */
  static CheckpointMetadata meta(String runId, String parent, double accuracy) {
    return new CheckpointMetadata(
        2,
        20L,
        runId,
        parent,
        Map.of("accuracy", accuracy, "loss", 1 - accuracy),
        "training.epochs = 2\n",
        Map.of("inputs", java.util.List.of(Map.of("path", "/data/dt=2026-11-24", "bytes", 10))));
  }
}
