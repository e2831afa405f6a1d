package sparktrain.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import sparktrain.config.LayerConfig;
import sparktrain.config.LayerType;
import sparktrain.config.ModelConfig;
import sparktrain.config.UpdaterConfig;

/**
 * Builds DL4J networks from a validated {@link ModelConfig}.
 *
 * <p>Mapping notes: the config's dropout is the probability of <em>dropping</em> an input, DL4J's
 * {@code dropOut(p)} takes the probability of <em>retaining</em> it, so {@code p = 1 - dropout}
 * (set only when dropout > 0). DL4J has no plain-momentum updater: {@code momentum} and {@code
 * nesterov} both become {@link Nesterovs}. rmsprop uses DL4J's default decay (0.95).
 */
public final class NetworkFactory {

  private NetworkFactory() {}

  /** The network configuration for {@code model}, with weight init seeded by {@code seed}. */
  public static MultiLayerConfiguration build(ModelConfig model, long seed) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder().seed(seed).updater(updater(model.updater())).list();
    for (LayerConfig layer : model.layers()) {
      list.layer(layer(layer));
    }
    InputType input =
        switch (model.input().type()) {
          case FEED_FORWARD -> InputType.feedForward(model.input().size());
        };
    return list.setInputType(input).build();
  }

  /** An initialized network for {@code model}: same seed, same initial parameters. */
  public static MultiLayerNetwork create(ModelConfig model, long seed) {
    MultiLayerNetwork network = new MultiLayerNetwork(build(model, seed));
    network.init();
    return network;
  }

  private static BaseLayer layer(LayerConfig layer) {
    BaseLayer.Builder<?> builder =
        layer.type() == LayerType.OUTPUT
            ? new OutputLayer.Builder(loss(layer.loss())).nOut(layer.units())
            : new DenseLayer.Builder().nOut(layer.units());
    builder
        .activation(activation(layer.activation()))
        .weightInit(weightInit(layer.weightInit()))
        .l1(layer.l1())
        .l2(layer.l2());
    if (layer.dropout() > 0) {
      builder.dropOut(1 - layer.dropout());
    }
    return builder.build();
  }

  static IUpdater updater(UpdaterConfig updater) {
    double lr = updater.learningRate();
    return switch (updater.type()) {
      case SGD -> new Sgd(lr);
      case MOMENTUM, NESTEROV -> new Nesterovs(lr, updater.momentum());
      case ADAM -> new Adam(lr, updater.beta1(), updater.beta2(), updater.epsilon());
      case RMSPROP -> new RmsProp(lr, RmsProp.DEFAULT_RMSPROP_RMSDECAY, updater.epsilon());
    };
  }

  static Activation activation(sparktrain.config.Activation activation) {
    return switch (activation) {
      case RELU -> Activation.RELU;
      case LEAKY_RELU -> Activation.LEAKYRELU;
      case SIGMOID -> Activation.SIGMOID;
      case TANH -> Activation.TANH;
      case SOFTMAX -> Activation.SOFTMAX;
      case IDENTITY -> Activation.IDENTITY;
    };
  }

  static LossFunction loss(sparktrain.config.LossFunction loss) {
    return switch (loss) {
      case MCXENT -> LossFunction.MCXENT;
      case SPARSE_MCXENT -> LossFunction.SPARSE_MCXENT;
      case XENT -> LossFunction.XENT;
      case MSE -> LossFunction.MSE;
      case MAE -> LossFunction.MEAN_ABSOLUTE_ERROR;
      case HINGE -> LossFunction.HINGE;
    };
  }

  static WeightInit weightInit(sparktrain.config.WeightInit weightInit) {
    return switch (weightInit) {
      case XAVIER -> WeightInit.XAVIER;
      case RELU -> WeightInit.RELU;
      case UNIFORM -> WeightInit.UNIFORM;
      case NORMAL -> WeightInit.NORMAL;
      case ZERO -> WeightInit.ZERO;
    };
  }
}
