package sparktrain.config;

/**
 * One entry of {@code model.layers}, with dropout, l1, l2 and weight init already resolved against
 * the model-level defaults (for the layers with weights: dense, convolution, output).
 *
 * @param units units of a dense or output layer, filters (output channels) of a convolution layer;
 *     0 for the other types
 * @param activation null for subsampling and dropout layers (they have none)
 * @param loss the loss function of the output layer; null for other layers
 * @param dropout probability of dropping an input of this layer, in [0, 1); of a dropout layer, in
 *     (0, 1)
 * @param weightInit null for layers without weights
 * @param kernel the window of a convolution or subsampling layer; null for the other types
 * @param pooling the pooling of a subsampling layer; null for the other types
 */
public record LayerConfig(
    LayerType type,
    int units,
    Activation activation,
    LossFunction loss,
    double dropout,
    double l1,
    double l2,
    WeightInit weightInit,
    KernelConfig kernel,
    PoolingType pooling) {

  /** A layer without a window: dense, output, batch-norm or dropout. */
  public LayerConfig(
      LayerType type,
      int units,
      Activation activation,
      LossFunction loss,
      double dropout,
      double l1,
      double l2,
      WeightInit weightInit) {
    this(type, units, activation, loss, dropout, l1, l2, weightInit, null, null);
  }
}
