package sparktrain.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import sparktrain.config.Activation;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.config.LayerConfig;
import sparktrain.config.LayerType;
import sparktrain.config.LossFunction;
import sparktrain.config.UpdaterType;
import sparktrain.errors.UserInputException;
import sparktrain.model.NetworkFactory;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.TestJobs;

/**
 * Keras models written by Keras (src/test/resources/keras, provenance there) load as sparktrain
 * models: the three JSON layouts, a whole-model file with its training config, the weights, and the
 * refusal of a layer DL4J cannot import. No Spark here; {@link KerasTrainingTest} trains them.
 */
class KerasImportTest {

  static String keras(String name) {
    return LocalSpark.resource("keras").resolve(name).toString();
  }

  private static JobConfig load(String... sets) {
    return ConfigLoader.load(null, TestJobs.mnistSlice(null, sets));
  }

  @Test
  void allThreeKerasJsonLayoutsGiveTheSameModel() {
    JobConfig v2 = load("model.keras=" + keras("mnist-mlp-dropout.json"));
    JobConfig v23 = load("model.keras=" + keras("mnist-mlp-dropout.tf-keras-2.3.json"));
    JobConfig v24 = load("model.keras=" + keras("mnist-mlp-dropout.keras-2.4.json"));

    List<LayerConfig> layers = v2.model().layers();
    assertThat(layers)
        .extracting(LayerConfig::type)
        .containsExactly(
            LayerType.DENSE,
            LayerType.DROPOUT,
            LayerType.DENSE,
            LayerType.DROPOUT,
            LayerType.OUTPUT);
    assertThat(layers).extracting(LayerConfig::units).containsExactly(512, 0, 512, 0, 10);
    assertThat(layers.get(1).dropout()).isEqualTo(0.2, within(1e-9));
    assertThat(v2.model().outputLayer().activation()).isEqualTo(Activation.SOFTMAX);
    // No training config in a JSON: the loss follows the softmax output.
    assertThat(v2.model().outputLayer().loss()).isEqualTo(LossFunction.SPARSE_MCXENT);
    assertThat(v2.model().input().size()).isEqualTo(784);
    assertThat(v23.model()).isEqualTo(v2.model());
    assertThat(v24.model()).isEqualTo(v2.model());
    assertThat(v2.keras().kerasVersion()).isEqualTo("2.0.6");
    assertThat(v24.keras().kerasVersion()).isEqualTo("2.4.0");
    assertThat(v2.keras().sha256()).hasSize(64);
  }

  @Test
  void theCnnExampleBecomesConvolutionLayersOnAnImageInput() {
    JobConfig c = load("model.keras=" + keras("mnist-cnn-keras-example.json"));

    assertThat(c.model().input().height()).isEqualTo(28);
    assertThat(c.model().input().channels()).isEqualTo(1);
    assertThat(c.model().layers())
        .extracting(LayerConfig::type)
        .containsExactly(
            LayerType.CONVOLUTION,
            LayerType.CONVOLUTION,
            LayerType.SUBSAMPLING,
            LayerType.DROPOUT,
            LayerType.DENSE,
            LayerType.DROPOUT,
            LayerType.OUTPUT);
    MultiLayerNetwork net = NetworkFactory.create(c.model(), 1);
    // Keras's model.summary() of mnist_cnn: 1,199,882 parameters.
    assertThat(net.numParams()).isEqualTo(1_199_882);
  }

  @Test
  void theRecordedConfigReplaysWithoutTheKerasFile() {
    JobConfig imported = load("model.keras=" + keras("mnist-mlp-dropout.json"));

    JobConfig replayed = ConfigLoader.fromConfig(ConfigFactory.parseString(imported.render()));

    assertThat(replayed.model()).isEqualTo(imported.model());
    assertThat(replayed.fingerprint()).isEqualTo(imported.fingerprint());
    assertThat(replayed.keras()).isEqualTo(imported.keras());
    assertThat(replayed.resolved().getString("model.keras")).isEmpty();
    assertThat(replayed.keras().source()).endsWith("mnist-mlp-dropout.json");
  }

  @Test
  void aWholeModelFileLoadsWithItsTrainingConfigAndTheJobConfigWins() {
    JobConfig file = load("model.keras=" + keras("simple-mlp.full.h5"), "data.num-classes=10");

    assertThat(file.model().input().size()).isEqualTo(100);
    assertThat(file.model().layers()).extracting(LayerConfig::units).containsExactly(64, 10);
    // The training config: SGD, categorical_crossentropy.
    assertThat(file.model().outputLayer().loss()).isEqualTo(LossFunction.MCXENT);
    assertThat(file.model().updater().type()).isEqualTo(UpdaterType.SGD);
    assertThat(file.model().updater().learningRate()).isEqualTo(0.01, within(1e-6));
    assertThat(file.keras().kerasVersion()).isEqualTo("2.0.9");

    JobConfig overridden =
        load(
            "model.keras=" + keras("simple-mlp.full.h5"),
            "model.updater.type=adam",
            "model.keras-loss=sparse-mcxent");
    assertThat(overridden.model().updater().type()).isEqualTo(UpdaterType.ADAM);
    // The file's learning rate still applies: only the type was set.
    assertThat(overridden.model().updater().learningRate()).isEqualTo(0.01, within(1e-6));
    assertThat(overridden.model().outputLayer().loss()).isEqualTo(LossFunction.SPARSE_MCXENT);
  }

  @Test
  void aLambdaLayerIsAUserErrorNamingTheLayerAndTheFile() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> load("model.keras=" + keras("lambda-sequential.full.h5")));

    assertThat(e).isInstanceOf(UserInputException.class);
    assertThat(e.getMessage())
        .contains("model.keras (--set model.keras=")
        .contains("lambda-sequential.full.h5")
        .containsPattern("layer 'lambda_\\d+' \\(class Lambda\\) cannot be imported");
  }

  @Test
  void layersBesideKerasAndWeightsWithoutKerasAreConfigErrors() {
    ConfigException both =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    "model.keras=" + keras("mnist-mlp-dropout.json"),
                    "model.layers=[{type=output, units=10, activation=softmax, loss=mcxent}]"));
    assertThat(both.getMessage())
        .contains("model.layers (--set")
        .contains("not used when model.keras");

    ConfigException alone =
        assertThrows(
            ConfigException.class,
            () -> load("model.keras-weights=" + keras("mnist-mlp-dropout.weights.h5")));
    assertThat(alone.getMessage()).contains("model.keras-weights").contains("needs model.keras");

    ConfigException missing =
        assertThrows(ConfigException.class, () -> load("model.keras=/no/such/model.json"));
    assertThat(missing.getMessage()).contains("/no/such/model.json: no such file");
  }

  @Test
  void kerasWeightsGiveKerasOwnForwardPass() throws Exception {
    JobConfig c =
        load(
            "model.keras=" + keras("mnist-mlp-dropout.json"),
            "model.keras-weights=" + keras("mnist-mlp-dropout.weights.h5"));
    assertThat(c.keras().weightsSha256()).hasSize(64);
    MultiLayerNetwork net = NetworkFactory.create(c.model(), c.training().seed());
    KerasWeights.apply(net, c.keras().source(), c.keras().weights());

    INDArray images = mnistTest(1000);
    int[] labels = mnistTestLabels(1000);

    // Keras's forward pass, from the weights file alone: relu(x W1 + b1) -> relu(. W2 + b2) ->
    // softmax(. W3 + b3); dropout is off at inference.
    List<INDArray[]> dense = new ArrayList<>();
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      try (Hdf5Archive h5 = new Hdf5Archive(keras("mnist-mlp-dropout.weights.h5"))) {
        for (String layer : List.of("dense_1", "dense_2", "dense_3")) {
          dense.add(
              new INDArray[] {
                h5.readDataSet("kernel:0", layer, layer), h5.readDataSet("bias:0", layer, layer)
              });
        }
      }
    }
    INDArray few = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8));
    INDArray a = few.castTo(DataType.DOUBLE);
    for (int i = 0; i < 3; i++) {
      INDArray w = dense.get(i)[0].castTo(DataType.DOUBLE);
      INDArray b = dense.get(i)[1].castTo(DataType.DOUBLE).reshape(1, -1);
      a = a.mmul(w).addRowVector(b);
      a = i < 2 ? Transforms.relu(a) : Transforms.softmax(a);
    }
    INDArray ours = net.output(few.castTo(net.params().dataType())).castTo(DataType.DOUBLE);
    assertThat(ours.shape()).containsExactly(8, 10);
    double maxDiff = Transforms.abs(ours.sub(a)).maxNumber().doubleValue();
    assertThat(maxDiff).isLessThan(1e-5);

    // The Keras-trained network classifies the test images before any training here: these
    // weights score 0.952 on the slice's 1,000 images and 0.9605 on all 10,000 (measured; the
    // forward pass above equals Keras's, so that is the weights' own accuracy, not the 0.97+ of a
    // fully trained mnist_mlp). Random weights score about 0.1.
    INDArray predicted = net.output(images.castTo(net.params().dataType())).argMax(1);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += predicted.getInt(i) == labels[i] ? 1 : 0;
    }
    assertThat(correct / 1000.0).isGreaterThanOrEqualTo(0.95);
  }

  /** The first {@code n} MNIST test images of the slice, scaled to [0, 1] (n x 784). */
  static INDArray mnistTest(int n) throws IOException {
    byte[] bytes =
        Files.readAllBytes(LocalSpark.resource("mnist").resolve("t10k-images-idx3-ubyte"));
    float[] pixels = new float[n * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (bytes[16 + i] & 0xff) / 255f;
    }
    return Nd4j.create(pixels, new long[] {n, 784});
  }

  static int[] mnistTestLabels(int n) throws IOException {
    Path p = LocalSpark.resource("mnist").resolve("t10k-labels-idx1-ubyte");
    byte[] bytes = Files.readAllBytes(p);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = bytes[8 + i];
    }
    return labels;
  }
}
