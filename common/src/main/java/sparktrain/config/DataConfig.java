package sparktrain.config;

/**
 * The {@code data} section. A limit of 0 means all records; {@code trainOffset} records of the
 * training split are skipped before {@code trainLimit} applies; {@code partitions} 0 means {@code
 * training.workers}.
 *
 * <p>Two values are not keys of the section but derived when the config is read: {@code task} from
 * the output layer's loss, and {@code seed} (of the random split) from {@code training.seed}. (The
 * parser reads those sections first, so the section is built once, with them.)
 *
 * @param path the main input of a csv, parquet or libsvm job, split by {@code split}; "" when the
 *     training input is {@code train.path}
 * @param libsvmNumFeatures the number of features of a libsvm input (0 for other formats)
 * @param normalization never {@link Normalization#AUTO} (resolved by the format)
 */
public record DataConfig(
    DataFormat format,
    String path,
    SplitPaths train,
    SplitPaths validation,
    SplitPaths test,
    SplitFractions split,
    CsvOptions csv,
    int libsvmNumFeatures,
    ColumnsConfig columns,
    BadRowPolicy badRows,
    int trainLimit,
    int trainOffset,
    int testLimit,
    int numClasses,
    Normalization normalization,
    int partitions,
    Task task,
    long seed) {

  /** This config with {@code keep} read from every row as text ({@code predict --keep-columns}). */
  public DataConfig withKeptColumns(java.util.List<String> keep) {
    return new DataConfig(
        format,
        path,
        train,
        validation,
        test,
        split,
        csv,
        libsvmNumFeatures,
        columns.withKeep(keep),
        badRows,
        trainLimit,
        trainOffset,
        testLimit,
        numClasses,
        normalization,
        partitions,
        task,
        seed);
  }

  /**
   * The number of classes a label may take: 2 for a binary output, {@code numClasses} for other
   * classification, 0 for regression.
   */
  public int classCount() {
    return switch (task) {
      case BINARY -> 2;
      case CLASSIFICATION -> numClasses;
      case REGRESSION -> 0;
    };
  }

  /** The path of the training input: {@code path}, else {@code train.path}. */
  public String mainPath() {
    return path.isBlank() ? train.path() : path;
  }
}
