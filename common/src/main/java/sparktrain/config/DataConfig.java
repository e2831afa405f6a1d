package sparktrain.config;

/**
 * The {@code data} section. A limit of 0 means all records; {@code trainOffset} records are skipped
 * before {@code trainLimit} applies; {@code partitions} 0 means {@code training.workers}.
 */
public record DataConfig(
    DataFormat format,
    SplitPaths train,
    SplitPaths test,
    int trainLimit,
    int testLimit,
    int numClasses,
    Normalization normalization,
    int partitions,
    int trainOffset) {

  /** A data section that reads the training split from its first record. */
  public DataConfig(
      DataFormat format,
      SplitPaths train,
      SplitPaths test,
      int trainLimit,
      int testLimit,
      int numClasses,
      Normalization normalization,
      int partitions) {
    this(format, train, test, trainLimit, testLimit, numClasses, normalization, partitions, 0);
  }
}
