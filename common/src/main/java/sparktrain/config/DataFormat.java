package sparktrain.config;

/**
 * Format of the input data: {@code idx} is MNIST-style IDX files (images + labels); {@code csv}
 * delimited text with one example per line; {@code parquet} Parquet files; {@code libsvm} text
 * lines {@code label index:value ...} (1-based, ascending indexes).
 */
public enum DataFormat implements ConfigEnum {
  IDX,
  CSV,
  PARQUET,
  LIBSVM;

  /** Parses a config spelling such as {@code "idx"}. */
  public static DataFormat fromConfig(String text) {
    return ConfigEnum.parse(DataFormat.class, text);
  }

  /** Whether the format has columns that {@code data.label} and {@code data.features} name. */
  public boolean hasColumns() {
    return this == CSV || this == PARQUET;
  }
}
