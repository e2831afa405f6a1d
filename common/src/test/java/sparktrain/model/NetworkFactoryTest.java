package sparktrain.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import sparktrain.config.ConfigLoader;
import sparktrain.config.ModelConfig;

class NetworkFactoryTest {

  private static final String SMALL =
      """
      model.input.size = 6
      model.layers = [
        { type = dense, units = 5, activation = tanh }
        { type = output, units = 3, activation = softmax, loss = sparse-mcxent }
      ]
      data.num-classes = 3
      """;

  @Test
  void mnistMlpHas101770ParametersAndTheConfiguredLayers() {
    ModelConfig model = ConfigLoader.load("../conf/mnist-mlp.conf", List.of()).model();

    MultiLayerNetwork network = NetworkFactory.create(model, 12345);

    assertThat(network.numParams()).isEqualTo(101_770);
    DenseLayer hidden = (DenseLayer) network.getLayerWiseConfigurations().getConf(0).getLayer();
    OutputLayer output = (OutputLayer) network.getLayerWiseConfigurations().getConf(1).getLayer();
    assertThat(hidden.getNIn()).isEqualTo(784);
    assertThat(hidden.getNOut()).isEqualTo(128);
    assertThat(hidden.getActivationFn()).isInstanceOf(ActivationReLU.class);
    assertThat(output.getNIn()).isEqualTo(128);
    assertThat(output.getNOut()).isEqualTo(10);
    assertThat(output.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
    assertThat(output.getLossFn()).isInstanceOf(LossSparseMCXENT.class);
    assertThat(hidden.getIUpdater()).isEqualTo(new Adam(1e-3, 0.9, 0.999, 1e-8));
    assertThat(output.getIUpdater()).isEqualTo(new Adam(1e-3, 0.9, 0.999, 1e-8));
    assertThat(hidden.getIDropout()).isNull();
    assertThat(hidden.getRegularization()).isEmpty();
  }

  @Test
  void sameSeedGivesSameInitialParametersAndAnotherSeedDifferent() {
    ModelConfig model = model(SMALL);

    MultiLayerNetwork a = NetworkFactory.create(model, 7);
    MultiLayerNetwork b = NetworkFactory.create(model, 7);
    MultiLayerNetwork c = NetworkFactory.create(model, 8);

    assertThat(a.params()).isEqualTo(b.params());
    assertThat(a.params()).isNotEqualTo(c.params());
    assertThat(a.numParams()).isEqualTo(6 * 5 + 5 + 5 * 3 + 3);
  }

  @Test
  void dropoutBecomesDl4jRetainProbability() {
    MultiLayerConfiguration conf = NetworkFactory.build(model(SMALL + "model.dropout = 0.2"), 1);
    MultiLayerConfiguration perLayer =
        NetworkFactory.build(
            model(
                """
                model.input.size = 6
                model.layers = [
                  { type = dense, units = 5, activation = relu, dropout = 0.25 }
                  { type = output, units = 3, activation = softmax, loss = sparse-mcxent }
                ]
                data.num-classes = 3
                """),
            1);

    assertThat(((Dropout) layer(conf, 0).getIDropout()).getP()).isEqualTo(0.8);
    assertThat(((Dropout) layer(conf, 1).getIDropout()).getP()).isEqualTo(0.8);
    assertThat(((Dropout) layer(perLayer, 0).getIDropout()).getP()).isEqualTo(0.75);
    assertThat(layer(perLayer, 1).getIDropout()).isNull();
  }

  @Test
  void l1AndL2AreApplied() {
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            model(
                """
                model.input.size = 6
                model.l2 = 1e-4
                model.layers = [
                  { type = dense, units = 5, activation = relu, l1 = 1e-5 }
                  { type = output, units = 3, activation = softmax, loss = sparse-mcxent, l2 = 0 }
                ]
                data.num-classes = 3
                """),
            1);

    assertThat(layer(conf, 0).getRegularization())
        .hasSize(2)
        .anySatisfy(
            r ->
                assertThat(r)
                    .isInstanceOfSatisfying(
                        L2Regularization.class,
                        l2 -> assertThat(l2.getL2().valueAt(0, 0)).isEqualTo(1e-4)))
        .anySatisfy(
            r ->
                assertThat(r)
                    .isInstanceOfSatisfying(
                        L1Regularization.class,
                        l1 -> assertThat(l1.getL1().valueAt(0, 0)).isEqualTo(1e-5)));
    assertThat(layer(conf, 1).getRegularization()).isEmpty();
  }

  @Test
  void updatersMapToDl4j() {
    assertThat(updater("type = sgd, learning-rate = 0.1")).isEqualTo(new Sgd(0.1));
    assertThat(updater("type = momentum, learning-rate = 0.1, momentum = 0.8"))
        .isEqualTo(new Nesterovs(0.1, 0.8));
    assertThat(updater("type = nesterov, learning-rate = 0.1, momentum = 0.7"))
        .isEqualTo(new Nesterovs(0.1, 0.7));
    assertThat(
            updater("type = adam, learning-rate = 0.01, beta1 = 0.8, beta2 = 0.99, epsilon = 1e-6"))
        .isEqualTo(new Adam(0.01, 0.8, 0.99, 1e-6));
    assertThat(updater("type = rmsprop, learning-rate = 0.01, epsilon = 1e-6"))
        .isEqualTo(new RmsProp(0.01, 0.95, 1e-6));
  }

  @Test
  void activationsAndLossesMapToDl4j() {
    MultiLayerConfiguration binary =
        NetworkFactory.build(
            model(
                """
                model.input.size = 4
                model.layers = [
                  { type = dense, units = 3, activation = sigmoid }
                  { type = output, units = 1, activation = sigmoid, loss = xent }
                ]
                data.num-classes = 2
                """),
            1);
    MultiLayerConfiguration regression =
        NetworkFactory.build(
            model(
                """
                model.input.size = 4
                model.layers = [
                  { type = dense, units = 3, activation = tanh }
                  { type = dense, units = 3, activation = identity }
                  { type = output, units = 2, activation = identity, loss = mae }
                ]
                """),
            1);

    assertThat(layer(binary, 0).getActivationFn()).isInstanceOf(ActivationSigmoid.class);
    assertThat(((OutputLayer) layer(binary, 1)).getLossFn()).isInstanceOf(LossBinaryXENT.class);
    assertThat(layer(regression, 0).getActivationFn()).isInstanceOf(ActivationTanH.class);
    assertThat(layer(regression, 1).getActivationFn()).isInstanceOf(ActivationIdentity.class);
    assertThat(((OutputLayer) layer(regression, 2)).getLossFn()).isInstanceOf(LossMAE.class);
    assertThat(NetworkFactory.loss(sparktrain.config.LossFunction.MSE).getILossFunction())
        .isInstanceOf(LossMSE.class);
  }

  @Test
  void configurationSurvivesJsonRoundTrip() {
    MultiLayerConfiguration conf = NetworkFactory.build(model(SMALL + "model.dropout = 0.1"), 3);

    assertThat(MultiLayerConfiguration.fromJson(conf.toJson())).isEqualTo(conf);
  }

  private static BaseLayer layer(MultiLayerConfiguration conf, int index) {
    return (BaseLayer) conf.getConf(index).getLayer();
  }

  private static Object updater(String updater) {
    return layer(NetworkFactory.build(model(SMALL + "model.updater { " + updater + " }"), 1), 0)
        .getIUpdater();
  }

  private static ModelConfig model(String hocon) {
    return ConfigLoader.fromConfig(
            ConfigFactory.parseString(
                hocon
                    + "\ndata { train { images = a, labels = b }, test { images = c, labels = d } }"))
        .model();
  }
}
