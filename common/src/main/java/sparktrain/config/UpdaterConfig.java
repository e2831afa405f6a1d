package sparktrain.config;

/**
 * The {@code model.updater} section. {@code momentum} is used by the momentum and nesterov
 * updaters, {@code beta1} and {@code beta2} by adam, {@code epsilon} by adam and rmsprop.
 */
public record UpdaterConfig(
    UpdaterType type,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double epsilon) {}
