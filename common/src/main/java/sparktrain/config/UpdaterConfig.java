package sparktrain.config;

/**
 * The {@code model.updater} section. {@code momentum} is used by the momentum and nesterov
 * updaters, {@code beta1} and {@code beta2} by adam and adamw, {@code epsilon} by adam, adamw and
 * rmsprop, {@code weightDecay} by adamw.
 *
 * @param learningRate the initial learning rate (the schedule's value at t = 0)
 * @param weightDecay adamw: each step, weights (not biases) shrink by {@code learningRate *
 *     weightDecay * weights}, decoupled from the gradient
 */
public record UpdaterConfig(
    UpdaterType type,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    ScheduleConfig schedule) {}
