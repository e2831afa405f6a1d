package sparktrain.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import sparktrain.config.ColumnsConfig;

/**
 * The label and feature columns of a CSV header or Parquet schema, resolved from the config's names
 * and 0-based indexes. Resolution happens on the driver; the result is shipped to the executors
 * that parse the rows.
 */
final class ColumnSelection implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAX_LISTED = 40;

  /** Every column's name, in order. */
  final List<String> columns;

  /** The label column, or -1 for a one-hot label. */
  final int label;

  final int[] oneHot;
  final int[] features;

  /** Columns copied as text into prediction rows ({@code --keep-columns}), in order. */
  final int[] kept;

  private ColumnSelection(
      List<String> columns, int label, int[] oneHot, int[] features, int[] kept) {
    this.columns = List.copyOf(columns);
    this.kept = kept;
    this.label = label;
    this.oneHot = oneHot;
    this.features = features;
  }

  /**
   * Resolves the config's columns against {@code columns}.
   *
   * @param source where the column names come from, for messages, e.g. {@code header of file:/x.csv
   *     (line 1)}
   * @throws DataException naming the key, the column and the available columns when a column is not
   *     there, is used twice, or no feature is left
   */
  static ColumnSelection resolve(List<String> columns, ColumnsConfig config, String source) {
    Resolver r = new Resolver(columns, source);
    int label = config.label().isBlank() ? -1 : r.find("data.label", config.label());
    int[] oneHot = r.findAll("data.one-hot-label", config.oneHotLabel());
    Set<Integer> labels = new LinkedHashSet<>();
    if (label >= 0) {
      labels.add(label);
    }
    for (int c : oneHot) {
      if (!labels.add(c)) {
        throw new DataException(
            "data.one-hot-label: column " + r.describe(c) + " is listed twice (" + source + ")");
      }
    }
    int[] features;
    if (config.features().isEmpty()) {
      Set<Integer> excluded = new LinkedHashSet<>();
      for (int c : r.findAll("data.exclude", config.exclude())) {
        excluded.add(c);
      }
      List<Integer> all = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        if (!labels.contains(c) && !excluded.contains(c)) {
          all.add(c);
        }
      }
      features = all.stream().mapToInt(Integer::intValue).toArray();
    } else {
      features = r.findAll("data.features", config.features());
      Set<Integer> seen = new LinkedHashSet<>();
      for (int c : features) {
        if (labels.contains(c)) {
          throw new DataException(
              "data.features: column " + r.describe(c) + " is the label (" + source + ")");
        }
        if (!seen.add(c)) {
          throw new DataException(
              "data.features: column " + r.describe(c) + " is listed twice (" + source + ")");
        }
      }
    }
    if (features.length == 0) {
      throw new DataException(
          "no feature columns left in "
              + source
              + " (columns: "
              + list(columns)
              + "; label: "
              + (label >= 0 ? columns.get(label) : config.oneHotLabel())
              + ", excluded: "
              + config.exclude()
              + ")");
    }
    return new ColumnSelection(
        columns, label, oneHot, features, r.findAll("--keep-columns", config.keep()));
  }

  /** The number of cells a row must have. */
  int width() {
    return columns.size();
  }

  /** The names of the feature columns, in feature order. */
  List<String> featureNames() {
    return Arrays.stream(features).mapToObj(columns::get).toList();
  }

  /** The label column's name, or the one-hot columns' names joined by commas. */
  String labelName() {
    return label >= 0
        ? columns.get(label)
        : String.join(",", Arrays.stream(oneHot).mapToObj(columns::get).toList());
  }

  /** E.g. {@code column 'age' (index 0)}. */
  String describe(int column) {
    return "column '" + columns.get(column) + "' (index " + column + ")";
  }

  /** E.g. {@code label column 'benign' (index 30)}. */
  String describeLabel() {
    return label >= 0
        ? "label " + describe(label)
        : "one-hot label columns " + Arrays.toString(oneHot);
  }

  static String list(List<String> columns) {
    if (columns.size() <= MAX_LISTED) {
      return String.join(", ", columns);
    }
    return String.join(", ", columns.subList(0, MAX_LISTED))
        + ", ... ("
        + columns.size()
        + " columns)";
  }

  /** Finds columns by name or index, with messages naming the key and the source. */
  private static final class Resolver {
    private final List<String> columns;
    private final String source;

    Resolver(List<String> columns, String source) {
      this.columns = columns;
      this.source = source;
    }

    int find(String key, String ref) {
      int at = columns.indexOf(ref);
      if (at >= 0) {
        if (columns.lastIndexOf(ref) != at) {
          throw new DataException(
              key + ": column name '" + ref + "' appears twice in " + source + "; use its index");
        }
        return at;
      }
      if (ColumnsConfig.isIndex(ref)) {
        long index = ref.length() > 9 ? Long.MAX_VALUE : Long.parseLong(ref);
        if (index < columns.size()) {
          return (int) index;
        }
        throw new DataException(
            key
                + " = "
                + ref
                + ": no such column index; "
                + source
                + " has "
                + columns.size()
                + " columns (0-based indexes 0.."
                + (columns.size() - 1)
                + ")");
      }
      throw new DataException(
          key + ": no column '" + ref + "' in " + source + "; its columns are: " + list(columns));
    }

    int[] findAll(String key, List<String> refs) {
      int[] out = new int[refs.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = find(key + "[" + i + "]", refs.get(i));
      }
      return out;
    }

    String describe(int column) {
      return "'" + columns.get(column) + "' (index " + column + ")";
    }
  }
}
