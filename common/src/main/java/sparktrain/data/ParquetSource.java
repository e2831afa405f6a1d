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
 * by file and 1-based row within the file: from the split being read ({@link ParquetRowPosition}),
 * or Spark's {@code _metadata} columns where {@code --keep-columns} casts columns to text anyway.
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
    DataType labelType = null;
    if (selection.label >= 0) {
      labelType = fields[selection.label].dataType();
      if (!(labelType instanceof NumericType
          || labelType instanceof BooleanType
          || labelType instanceof StringType)) {
        throw new DataException(
            source
                + ": label "
                + selection.describe(selection.label)
                + " has type "
                + labelType.simpleString()
                + "; expected a number or a string");
      }
    }
    // Plain columns, read by their own type on the executors: a select of bare columns is pruned
    // into the scan, where casts or Spark's _metadata columns add a projection of every row (with
    // 1,000 feature columns, more than Spark's whole-stage code generation takes: one pass over
    // 100,000 rows took 2.1-2.4x as long the first time, 1.5-1.8x after). A row's place in its file
    // comes from the split being read (see ParquetRowPosition); only --keep-columns, which casts
    // its columns to text, still selects _metadata.
    boolean metadata = selection.kept.length > 0;
    List<Column> select = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    if (metadata) {
      select.add(col("_metadata.file_path"));
      select.add(col("_metadata.row_index"));
    }
    if (selection.label >= 0) {
      select.add(col(quote(names.get(selection.label))));
      types.add(labelType);
    } else {
      for (int c : selection.oneHot) {
        select.add(col(quote(names.get(c))));
        types.add(fields[c].dataType());
      }
    }
    for (int c : selection.features) {
      select.add(col(quote(names.get(c))));
      types.add(fields[c].dataType());
    }
    for (int c : selection.kept) {
      select.add(col(quote(names.get(c))).cast("string"));
    }
    return new SourceRows(
        path,
        // Spark's internal rows, not Row objects: converting each row to a Row boxes every value
        // (1,000 values a row for a table of 1,000 features); they are read straight from the
        // scan's row instead.
        df.select(select.toArray(new Column[0]))
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .map(
                new Parser(
                    selection,
                    NumericColumns.of(types),
                    metadata ? null : new ParquetRowPosition(sc))),
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
    private final NumericColumns values;

    /** Where rows are in their files; null: the row's first two columns say (_metadata). */
    private final ParquetRowPosition positions;

    /** The last row's file name: rows of one file share one string (and one copy when cached). */
    private transient String lastFile;

    private transient UTF8String lastFileBytes;

    Parser(ColumnSelection columns, NumericColumns values, ParquetRowPosition positions) {
      this.columns = columns;
      this.values = values;
      this.positions = positions;
    }

    @Override
    public ParsedRow call(InternalRow row) throws java.io.IOException {
      String file;
      long position;
      int at;
      if (positions == null) {
        UTF8String fileBytes = row.getUTF8String(0);
        if (!fileBytes.equals(lastFileBytes)) {
          lastFileBytes = fileBytes.clone();
          lastFile = fileBytes.toString();
        }
        file = lastFile;
        position = row.getLong(1) + 1;
        at = 2;
      } else {
        position = positions.next();
        file = positions.file();
        at = 0;
      }
      int value = 0;
      String labelText = null;
      double[] hot = null;
      if (columns.label >= 0) {
        labelText = row.isNullAt(at) ? "" : values.text(row, at, value).trim();
        at++;
        value++;
      } else {
        hot = new double[columns.oneHot.length];
        for (int k = 0; k < hot.length; k++, at++, value++) {
          hot[k] = row.isNullAt(at) ? Double.NaN : values.get(row, at, value);
        }
      }
      int[] features = columns.features;
      float[] parsed = new float[features.length];
      for (int k = 0; k < features.length; k++, at++, value++) {
        int c = features[k];
        if (row.isNullAt(at)) {
          return ParsedRow.bad(
              file,
              position,
              UNIT,
              BadRowKind.MISSING_VALUE,
              columns.describe(c) + ": expected a number, got null");
        }
        double v = values.get(row, at, value);
        if (!Double.isFinite(v) || !Numbers.fitsFloat(v)) {
          return ParsedRow.bad(
              file,
              position,
              UNIT,
              BadRowKind.NOT_FINITE,
              columns.describe(c) + ": expected a finite number (float range), got " + v);
        }
        parsed[k] = (float) v;
      }
      String[] kept = null;
      if (columns.kept.length > 0) {
        kept = new String[columns.kept.length];
        for (int k = 0; k < kept.length; k++) {
          kept[k] = row.isNullAt(at + k) ? null : row.getUTF8String(at + k).toString();
        }
      }
      if (hot == null) {
        return ParsedRow.good(file, position, UNIT, parsed, labelText).keeping(kept);
      }
      int index = OneHot.index(hot);
      if (index < 0) {
        String[] shown = Arrays.stream(hot).mapToObj(String::valueOf).toArray(String[]::new);
        return ParsedRow.bad(
            file, position, UNIT, BadRowKind.BAD_ONE_HOT, OneHot.problem(columns, shown));
      }
      return ParsedRow.goodOneHot(file, position, UNIT, parsed, index).keeping(kept);
    }
  }
}
