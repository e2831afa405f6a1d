package sparktrain.config;

/**
 * The {@code model.updater.schedule} section: how the learning rate changes with the epoch or
 * iteration {@code t} (from 0). Only the values its type uses matter.
 *
 * @param decay step: factor per {@code step} units; exponential: factor per unit
 * @param step step: units between two decays
 * @param period cosine: units from the learning rate down to {@code minLearningRate}
 * @param minLearningRate cosine: the rate reached at {@code period} and kept after it
 */
public record ScheduleConfig(
    ScheduleType type,
    ScheduleUnit unit,
    double decay,
    int step,
    int period,
    double minLearningRate) {}
