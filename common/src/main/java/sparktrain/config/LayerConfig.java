package sparktrain.config;

/**
 * One entry of {@code model.layers}, with dropout, l1, l2 and weight init already resolved against
 * the model-level defaults.
 *
 * @param loss the loss function of the output layer; null for other layers
 * @param dropout probability of dropping an input of this layer, in [0, 1)
 */
public record LayerConfig(
    LayerType type,
    int units,
    Activation activation,
    LossFunction loss,
    double dropout,
    double l1,
    double l2,
    WeightInit weightInit) {}
