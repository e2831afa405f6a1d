package sparktrain.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import sparktrain.config.InputConfig;
import sparktrain.config.KernelConfig;
import sparktrain.config.LayerConfig;
import sparktrain.config.ModelConfig;
import sparktrain.config.ScheduleConfig;
import sparktrain.config.UpdaterConfig;
import sparktrain.config.UpdaterType;

/**
 * Builds DL4J networks from a validated {@link ModelConfig}.
 *
 * <p>Mapping notes: the config's dropout is the probability of <em>dropping</em> an input, DL4J's
 * {@code dropOut(p)} takes the probability of <em>retaining</em> it, so {@code p = 1 - dropout}
 * (set only when dropout > 0). DL4J has no plain-momentum updater: {@code momentum} and {@code
 * nesterov} both become {@link Nesterovs}. rmsprop uses DL4J's default decay (0.95). adamw is
 * {@link Adam} plus DL4J's decoupled weight decay on the weights of every layer with weights. A
 * learning-rate schedule becomes the updater's {@link ISchedule} ({@link StepSchedule}, {@link
 * ExponentialSchedule}, {@link CosineSchedule}); DL4J keeps it in the network configuration and the
 * position in the configuration's iteration and epoch counts, all saved by {@code ModelSerializer}.
 * An image input is {@code InputType.convolutionalFlat}: the data stays flattened and DL4J reshapes
 * it before the first convolution, and infers every layer's nIn.
 */
public final class NetworkFactory {

  private NetworkFactory() {}

  /** The network configuration for {@code model}, with weight init seeded by {@code seed}. */
  public static MultiLayerConfiguration build(ModelConfig model, long seed) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(updater(model.updater()))
            // Only layers without an activation of their own (subsampling, dropout) get this.
            .activation(Activation.IDENTITY)
            .list();
    double weightDecay =
        model.updater().type() == UpdaterType.ADAMW ? model.updater().weightDecay() : 0;
    for (LayerConfig layer : model.layers()) {
      list.layer(layer(layer, weightDecay));
    }
    return list.setInputType(inputType(model.input())).build();
  }

  /** An initialized network for {@code model}: same seed, same initial parameters. */
  public static MultiLayerNetwork create(ModelConfig model, long seed) {
    MultiLayerNetwork network = new MultiLayerNetwork(build(model, seed));
    network.init();
    return network;
  }

  static InputType inputType(InputConfig input) {
    return switch (input.type()) {
      case FEED_FORWARD -> InputType.feedForward(input.size());
      case IMAGE -> InputType.convolutionalFlat(input.height(), input.width(), input.channels());
    };
  }

  private static Layer layer(LayerConfig layer, double weightDecay) {
    return switch (layer.type()) {
      case DENSE -> weighted(new DenseLayer.Builder().nOut(layer.units()), layer, weightDecay);
      case OUTPUT ->
          weighted(
              new OutputLayer.Builder(loss(layer.loss())).nOut(layer.units()), layer, weightDecay);
      case CONVOLUTION -> {
        KernelConfig k = layer.kernel();
        ConvolutionLayer.Builder b =
            new ConvolutionLayer.Builder()
                .kernelSize(k.kernel().height(), k.kernel().width())
                .stride(k.stride().height(), k.stride().width())
                .padding(k.padding().height(), k.padding().width())
                .convolutionMode(convolutionMode(k));
        yield weighted(b.nOut(layer.units()), layer, weightDecay);
      }
      case SUBSAMPLING -> {
        KernelConfig k = layer.kernel();
        yield new SubsamplingLayer.Builder(pooling(layer.pooling()))
            .kernelSize(k.kernel().height(), k.kernel().width())
            .stride(k.stride().height(), k.stride().width())
            .padding(k.padding().height(), k.padding().width())
            .convolutionMode(convolutionMode(k))
            .build();
      }
      case BATCH_NORM ->
          new BatchNormalization.Builder().activation(activation(layer.activation())).build();
      case DROPOUT -> new DropoutLayer.Builder(1 - layer.dropout()).build();
    };
  }

  /** A layer with weights: activation, weight init, l1, l2, dropout and adamw's weight decay. */
  private static BaseLayer weighted(
      BaseLayer.Builder<?> builder, LayerConfig layer, double weightDecay) {
    builder
        .activation(activation(layer.activation()))
        .weightInit(weightInit(layer.weightInit()))
        .l1(layer.l1())
        .l2(layer.l2());
    if (weightDecay > 0) {
      builder.weightDecay(weightDecay, true);
    }
    if (layer.dropout() > 0) {
      builder.dropOut(1 - layer.dropout());
    }
    return builder.build();
  }

  static IUpdater updater(UpdaterConfig updater) {
    double lr = updater.learningRate();
    ISchedule schedule = schedule(updater.schedule(), lr);
    return switch (updater.type()) {
      case SGD -> schedule == null ? new Sgd(lr) : new Sgd(schedule);
      case MOMENTUM, NESTEROV ->
          schedule == null
              ? new Nesterovs(lr, updater.momentum())
              : new Nesterovs(schedule, updater.momentum());
      case ADAM, ADAMW -> {
        Adam.Builder b =
            Adam.builder()
                .learningRate(lr)
                .beta1(updater.beta1())
                .beta2(updater.beta2())
                .epsilon(updater.epsilon());
        yield schedule == null ? b.build() : b.learningRateSchedule(schedule).build();
      }
      case RMSPROP -> {
        RmsProp.Builder b =
            RmsProp.builder()
                .learningRate(lr)
                .rmsDecay(RmsProp.DEFAULT_RMSPROP_RMSDECAY)
                .epsilon(updater.epsilon());
        yield schedule == null ? b.build() : b.learningRateSchedule(schedule).build();
      }
    };
  }

  /** The DL4J schedule starting at {@code lr}, or null for a constant learning rate. */
  static ISchedule schedule(ScheduleConfig schedule, double lr) {
    ScheduleType unit =
        switch (schedule.unit()) {
          case EPOCH -> ScheduleType.EPOCH;
          case ITERATION -> ScheduleType.ITERATION;
        };
    return switch (schedule.type()) {
      case NONE -> null;
      case STEP -> new StepSchedule(unit, lr, schedule.decay(), schedule.step());
      case EXPONENTIAL -> new ExponentialSchedule(unit, lr, schedule.decay());
      case COSINE -> new CosineSchedule(unit, lr, schedule.minLearningRate(), schedule.period());
    };
  }

  private static ConvolutionMode convolutionMode(KernelConfig kernel) {
    return switch (kernel.mode()) {
      case TRUNCATE -> ConvolutionMode.Truncate;
      case SAME -> ConvolutionMode.Same;
    };
  }

  private static PoolingType pooling(sparktrain.config.PoolingType pooling) {
    return switch (pooling) {
      case MAX -> PoolingType.MAX;
      case AVG -> PoolingType.AVG;
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
