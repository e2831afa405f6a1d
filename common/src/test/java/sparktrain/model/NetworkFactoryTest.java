package sparktrain.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
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
  void mnistLenetHasTheLenetShapesAndParameterCounts() {
    ModelConfig model = ConfigLoader.load("../conf/mnist-lenet.conf", List.of()).model();

    MultiLayerNetwork network = NetworkFactory.create(model, 12345);

    // conv 5x5x1x20 + 20, conv 5x5x20x50 + 50, dense (4*4*50)x500 + 500, output 500x10 + 10
    assertThat(network.getLayers())
        .extracting(l -> l.numParams())
        .containsExactly(520L, 0L, 25_050L, 0L, 400_500L, 5_010L);
    assertThat(network.numParams()).isEqualTo(431_080);
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
    ConvolutionLayer conv1 = (ConvolutionLayer) conf.getConf(0).getLayer();
    ConvolutionLayer conv2 = (ConvolutionLayer) conf.getConf(2).getLayer();
    SubsamplingLayer pool = (SubsamplingLayer) conf.getConf(1).getLayer();
    assertThat(conv1.getNIn()).isEqualTo(1);
    assertThat(conv1.getNOut()).isEqualTo(20);
    assertThat(conv1.getKernelSize()).containsExactly(5, 5);
    assertThat(conv1.getStride()).containsExactly(1, 1);
    assertThat(conv1.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
    assertThat(conv1.getActivationFn()).isInstanceOf(ActivationReLU.class);
    assertThat(pool.getPoolingType()).isEqualTo(PoolingType.MAX);
    assertThat(pool.getKernelSize()).containsExactly(2, 2);
    assertThat(pool.getStride()).containsExactly(2, 2);
    assertThat(conv2.getNIn()).isEqualTo(20);
    assertThat(((DenseLayer) conf.getConf(4).getLayer()).getNIn()).isEqualTo(800);
    assertThat(((OutputLayer) conf.getConf(5).getLayer()).getNIn()).isEqualTo(500);
    // The data arrives flattened: DL4J reshapes it before conv1 and flattens before the dense.
    assertThat(conf.getInputPreProcess(0)).isInstanceOf(FeedForwardToCnnPreProcessor.class);
    assertThat(conf.getInputPreProcess(4)).isInstanceOf(CnnToFeedForwardPreProcessor.class);

    List<INDArray> activations = network.feedForward(Nd4j.rand(3, 784), false);
    assertThat(activations)
        .extracting(a -> a.shape())
        .containsExactly(
            new long[] {3, 784},
            new long[] {3, 20, 24, 24},
            new long[] {3, 20, 12, 12},
            new long[] {3, 50, 8, 8},
            new long[] {3, 50, 4, 4},
            new long[] {3, 500},
            new long[] {3, 10});
  }

  @Test
  void everyLayerTypeGetsItsShapeFromTheImageInput() {
    ModelConfig model =
        model(
            """
            model.input { type = image, height = 12, width = 10, channels = 3 }
            model.layers = [
              { type = convolution, filters = 4, kernel = [3, 2], stride = [2, 1], padding = [1, 0],
                activation = tanh }
              { type = batch-norm }
              { type = subsampling, pooling = avg, kernel = 2 }
              { type = convolution, filters = 5, kernel = 3, stride = 2, convolution-mode = same,
                activation = leaky-relu }
              { type = dropout, dropout = 0.3 }
              { type = dense, units = 7, activation = sigmoid }
              { type = batch-norm, activation = relu }
              { type = output, units = 3, activation = softmax, loss = mcxent }
            ]
            data.num-classes = 3
            """);

    MultiLayerNetwork network = NetworkFactory.create(model, 1);

    MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
    assertThat(conf.getConf(0).getLayer()).isInstanceOf(ConvolutionLayer.class);
    assertThat(conf.getConf(1).getLayer()).isInstanceOf(BatchNormalization.class);
    SubsamplingLayer pool = (SubsamplingLayer) conf.getConf(2).getLayer();
    assertThat(pool.getPoolingType()).isEqualTo(PoolingType.AVG);
    assertThat(pool.getStride()).containsExactly(2, 2);
    ConvolutionLayer same = (ConvolutionLayer) conf.getConf(3).getLayer();
    assertThat(same.getConvolutionMode()).isEqualTo(ConvolutionMode.Same);
    assertThat(same.getActivationFn()).isInstanceOf(ActivationLReLU.class);
    DropoutLayer dropout = (DropoutLayer) conf.getConf(4).getLayer();
    assertThat(((Dropout) dropout.getIDropout()).getP()).isEqualTo(0.7);
    assertThat(((BatchNormalization) conf.getConf(6).getLayer()).getActivationFn())
        .isInstanceOf(ActivationReLU.class);
    assertThat(((BatchNormalization) conf.getConf(1).getLayer()).getActivationFn())
        .isInstanceOf(ActivationIdentity.class);
    assertThat(((OutputLayer) conf.getConf(7).getLayer()).getLossFn())
        .isInstanceOf(LossMCXENT.class);
    // conv 3x2x3x4 + 4; batch-norm gamma, beta, mean, variance per channel; conv 3x3x4x5 + 5;
    // dense 20x7 + 7; batch-norm 4 x 7; output 7x3 + 3
    assertThat(network.getLayers())
        .extracting(l -> l.numParams())
        .containsExactly(76L, 16L, 0L, 185L, 0L, 147L, 28L, 24L);

    List<INDArray> activations = network.feedForward(Nd4j.rand(2, 360), false);
    assertThat(activations)
        .extracting(a -> a.shape())
        .containsExactly(
            new long[] {2, 360},
            // truncate: (12 + 2 - 3) / 2 + 1 = 6, (10 - 2) / 1 + 1 = 9
            new long[] {2, 4, 6, 9},
            new long[] {2, 4, 6, 9},
            // stride defaults to the kernel: 6 / 2 = 3, (9 - 2) / 2 + 1 = 4
            new long[] {2, 4, 3, 4},
            // same: ceil(3 / 2) = 2, ceil(4 / 2) = 2
            new long[] {2, 5, 2, 2},
            new long[] {2, 5, 2, 2},
            new long[] {2, 7},
            new long[] {2, 7},
            new long[] {2, 3});
  }

  @Test
  void modelDefaultsReachConvolutionLayersButNotLayersWithoutWeights() {
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            model(
                """
                model.input { type = image, height = 6, width = 6, channels = 1 }
                model { dropout = 0.5, l2 = 1e-3, weight-init = relu }
                model.layers = [
                  { type = convolution, filters = 2, kernel = 3, activation = relu }
                  { type = subsampling, pooling = max, kernel = 2 }
                  { type = output, units = 2, activation = softmax, loss = sparse-mcxent }
                ]
                data.num-classes = 2
                """),
            1);

    ConvolutionLayer conv = (ConvolutionLayer) conf.getConf(0).getLayer();
    assertThat(((Dropout) conv.getIDropout()).getP()).isEqualTo(0.5);
    assertThat(conv.getRegularization()).singleElement().isInstanceOf(L2Regularization.class);
    assertThat(conv.getWeightInitFn())
        .isEqualTo(org.deeplearning4j.nn.weights.WeightInit.RELU.getWeightInitFunction());
    assertThat(conf.getConf(1).getLayer().getIDropout()).isNull();
  }

  @Test
  void adamwIsAdamWithDecoupledWeightDecayOnWeightsOnly() {
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            model(
                SMALL
                    + "model.updater { type = adamw, learning-rate = 0.002, weight-decay = 0.05 }"),
            1);
    MultiLayerConfiguration adam =
        NetworkFactory.build(model(SMALL + "model.updater.weight-decay = 0.05"), 1);

    for (int i = 0; i < 2; i++) {
      assertThat(layer(conf, i).getIUpdater()).isEqualTo(new Adam(0.002, 0.9, 0.999, 1e-8));
      assertThat(layer(conf, i).getRegularization())
          .singleElement()
          .isInstanceOfSatisfying(
              WeightDecay.class,
              d -> {
                assertThat(d.getCoeff().valueAt(0, 0)).isEqualTo(0.05);
                assertThat(d.isApplyLR()).isTrue();
              });
      assertThat(layer(conf, i).getRegularizationBias()).isEmpty();
      assertThat(layer(adam, i).getRegularization()).isEmpty();
    }
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
