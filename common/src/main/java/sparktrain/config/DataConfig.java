package sparktrain.config;

/**
 * The {@code data} section. A limit of 0 means all records; {@code partitions} 0 means {@code
 * training.workers}.
 */
public record DataConfig(
    DataFormat format,
    SplitPaths train,
    SplitPaths test,
    int trainLimit,
    int testLimit,
    int numClasses,
    Normalization normalization,
    int partitions) {}
