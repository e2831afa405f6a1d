package sparktrain.config;

import java.util.List;

/**
 * Which columns of a CSV or Parquet input hold the label and the features. A column is given by
 * name or by 0-based index (digits, e.g. {@code "30"}); a name that the input has wins over the
 * index reading.
 *
 * @param label the label column, or "" when {@code oneHotLabel} is given
 * @param oneHotLabel one column per class, in class order, or empty
 * @param features the feature columns in order; empty means every column that is not a label column
 *     and not in {@code exclude}
 * @param exclude columns that are not features when {@code features} is empty
 * @param labelEncoding how classification labels are written
 * @param keep input columns {@code predict --keep-columns} copies into every prediction row
 */
public record ColumnsConfig(
    String label,
    List<String> oneHotLabel,
    List<String> features,
    List<String> exclude,
    LabelEncoding labelEncoding,
    List<String> keep) {

  /** Columns without any kept for predictions. */
  public ColumnsConfig(
      String label,
      List<String> oneHotLabel,
      List<String> features,
      List<String> exclude,
      LabelEncoding labelEncoding) {
    this(label, oneHotLabel, features, exclude, labelEncoding, List.of());
  }

  /** These columns, with {@code columns} copied as text into every prediction row. */
  public ColumnsConfig withKeep(List<String> columns) {
    return new ColumnsConfig(label, oneHotLabel, features, exclude, labelEncoding, columns);
  }

  /** Whether {@code column} is written as a 0-based index (digits only). */
  public static boolean isIndex(String column) {
    return !column.isEmpty() && column.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
