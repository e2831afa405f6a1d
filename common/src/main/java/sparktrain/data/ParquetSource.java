package sparktrain.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;
import sparktrain.config.DataConfig;

/**
 * Reads Parquet files with Spark's DataFrame reader into {@link ParsedRow}s. Feature columns must
 * have a numeric (or boolean) type; the label may also be a string (class names). Rows are located
 * by file and 1-based row within the file (Spark's {@code _metadata.row_index}).
 */
final class ParquetSource {
  private static final String UNIT = "row";

  private ParquetSource() {}

  static SourceRows read(JavaSparkContext sc, String path, DataConfig data) {
    List<String> files = InputFiles.list(path, sc.hadoopConfiguration());
    String qualified = HadoopPaths.qualify(path, sc.hadoopConfiguration()).toString();
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    Dataset<Row> df;
    try {
      df = spark.read().parquet(qualified);
    } catch (Exception e) {
      if (e instanceof AnalysisException || e instanceof RuntimeException) {
        throw new DataException(qualified + ": cannot read as Parquet: " + e.getMessage(), e);
      }
      throw new IllegalStateException(e);
    }
    StructField[] fields = df.schema().fields();
    List<String> names = Arrays.stream(fields).map(StructField::name).toList();
    String source = "the schema of " + qualified;
    ColumnSelection selection = ColumnSelection.resolve(names, data.columns(), source);
    for (int c : selection.features) {
      requireNumeric(fields[c], c, qualified, "a feature", "or list it in data.exclude");
    }
    for (int c : selection.oneHot) {
      requireNumeric(fields[c], c, qualified, "a one-hot label column", "0 or 1");
    }
    List<Column> select = new ArrayList<>();
    select.add(col("_metadata.file_path"));
    select.add(col("_metadata.row_index"));
    if (selection.label >= 0) {
      StructField label = fields[selection.label];
      DataType type = label.dataType();
      if (!(type instanceof NumericType
          || type instanceof BooleanType
          || type instanceof StringType)) {
        throw new DataException(
            source
                + ": label "
                + selection.describe(selection.label)
                + " has type "
                + type.simpleString()
                + "; expected a number or a string");
      }
      Column c = col(quote(label.name()));
      select.add((type instanceof BooleanType ? c.cast("int") : c).cast("string"));
    } else {
      for (int c : selection.oneHot) {
        select.add(col(quote(names.get(c))).cast("double"));
      }
    }
    for (int c : selection.features) {
      select.add(col(quote(names.get(c))).cast("double"));
    }
    for (int c : selection.kept) {
      select.add(col(quote(names.get(c))).cast("string"));
    }
    return new SourceRows(
        path,
        // Spark's internal rows, not Row objects: converting each row to a Row boxes every value
        // (1,000 Doubles a row for a table of 1,000 features), which cost about a third of the
        // parse pass; the values are read straight from the projected row instead.
        df.select(select.toArray(new Column[0]))
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .map(new Parser(selection)),
        selection.featureNames(),
        selection.labelName(),
        selection.describeLabel(),
        files);
  }

  private static void requireNumeric(
      StructField field, int index, String path, String role, String hint) {
    DataType type = field.dataType();
    if (!(type instanceof NumericType || type instanceof BooleanType)) {
      throw new DataException(
          path
              + ": column '"
              + field.name()
              + "' (index "
              + index
              + ") has type "
              + type.simpleString()
              + "; "
              + role
              + " must be numeric ("
              + hint
              + ")");
    }
  }

  /** Backquotes a column name so that dots and spaces in it are not read as structure. */
  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * Turns one selected row into a {@link ParsedRow} on an executor. The row is Spark's internal
   * one, which its iterator may reuse: everything is copied out before the call returns.
   */
  private static final class Parser implements Function<InternalRow, ParsedRow> {
    private static final long serialVersionUID = 1L;
    private final ColumnSelection columns;

    /** The last row's file name: rows of one file share one string (and one copy when cached). */
    private transient String lastFile;

    private transient UTF8String lastFileBytes;

    Parser(ColumnSelection columns) {
      this.columns = columns;
    }

    @Override
    public ParsedRow call(InternalRow row) {
      UTF8String fileBytes = row.getUTF8String(0);
      if (!fileBytes.equals(lastFileBytes)) {
        lastFileBytes = fileBytes.clone();
        lastFile = fileBytes.toString();
      }
      String file = lastFile;
      long position = row.getLong(1) + 1;
      int at = 2;
      String labelText = null;
      double[] hot = null;
      if (columns.label >= 0) {
        labelText = row.isNullAt(at) ? "" : row.getUTF8String(at).toString().trim();
        at++;
      } else {
        hot = new double[columns.oneHot.length];
        for (int k = 0; k < hot.length; k++, at++) {
          hot[k] = row.isNullAt(at) ? Double.NaN : row.getDouble(at);
        }
      }
      int[] features = columns.features;
      float[] values = new float[features.length];
      for (int k = 0; k < features.length; k++, at++) {
        int c = features[k];
        if (row.isNullAt(at)) {
          return ParsedRow.bad(
              file,
              position,
              UNIT,
              BadRowKind.MISSING_VALUE,
              columns.describe(c) + ": expected a number, got null");
        }
        double v = row.getDouble(at);
        if (!Double.isFinite(v) || !Numbers.fitsFloat(v)) {
          return ParsedRow.bad(
              file,
              position,
              UNIT,
              BadRowKind.NOT_FINITE,
              columns.describe(c) + ": expected a finite number (float range), got " + v);
        }
        values[k] = (float) v;
      }
      String[] kept = null;
      if (columns.kept.length > 0) {
        kept = new String[columns.kept.length];
        for (int k = 0; k < kept.length; k++) {
          kept[k] = row.isNullAt(at + k) ? null : row.getUTF8String(at + k).toString();
        }
      }
      if (hot == null) {
        return ParsedRow.good(file, position, UNIT, values, labelText).keeping(kept);
      }
      int index = OneHot.index(hot);
      if (index < 0) {
        String[] shown = Arrays.stream(hot).mapToObj(String::valueOf).toArray(String[]::new);
        return ParsedRow.bad(
            file, position, UNIT, BadRowKind.BAD_ONE_HOT, OneHot.problem(columns, shown));
      }
      return ParsedRow.goodOneHot(file, position, UNIT, values, index).keeping(kept);
    }
  }
}
