package sparktrain.data;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import sparktrain.config.DataConfig;

/**
 * The first rows of a Parquet input, read on the driver with Parquet's own reader (no Spark job):
 * the schema of its first file against the configured columns, and the rows turned into {@link
 * ParsedRow}s the way {@link ParquetSource} turns them on the executors.
 */
final class ParquetPreflight {
  private static final int SAMPLE_FILES = 8;
  private static final String UNIT = "row";

  private ParquetPreflight() {}

  /** How one top-level column can be read. */
  private enum Kind {
    /** A number or boolean whose value is read here. */
    SIMPLE_NUMBER,
    /** A numeric type Spark reads (a decimal) whose value is left to the distributed pass. */
    OTHER_NUMBER,
    /** A string (for a label). */
    STRING,
    /** Anything else: not a feature, not a label. */
    OTHER
  }

  static TabularPreflight.Sample sample(List<String> files, DataConfig data, Configuration conf)
      throws IOException {
    MessageType schema;
    String first = files.get(0);
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(new Path(first), conf))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw new DataException(first + ": cannot read as Parquet: " + e.getMessage(), e);
    }
    List<Type> fields = schema.getFields();
    List<String> names = fields.stream().map(Type::getName).toList();
    String source = "the schema of " + first;
    ColumnSelection selection = ColumnSelection.resolve(names, data.columns(), source);
    Kind[] kinds = new Kind[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kind(fields.get(i));
    }
    for (int c : selection.features) {
      requireNumeric(fields.get(c), kinds[c], c, first, "a feature", "or list it in data.exclude");
    }
    for (int c : selection.oneHot) {
      requireNumeric(fields.get(c), kinds[c], c, first, "a one-hot label column", "0 or 1");
    }
    if (selection.label >= 0 && kinds[selection.label] == Kind.OTHER) {
      throw new DataException(
          source
              + ": label "
              + selection.describe(selection.label)
              + " has type "
              + describe(fields.get(selection.label))
              + "; expected a number or a string");
    }

    TabularPreflight.Sample s = new TabularPreflight.Sample();
    s.featureNames = selection.featureNames();
    s.labelDescription = selection.describeLabel();
    int read = 0;
    for (String file : files) {
      if (s.rows.size() >= InputPreflight.SAMPLE_ROWS || read >= SAMPLE_FILES) {
        s.complete = false;
        break;
      }
      read++;
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), new Path(file)).withConf(conf).build()) {
        long position = 0;
        Group g;
        while ((g = reader.read()) != null) {
          position++;
          if (s.rows.size() >= InputPreflight.SAMPLE_ROWS) {
            s.complete = false;
            break;
          }
          s.rows.add(row(file, position, g, selection, kinds));
        }
      } catch (IOException | RuntimeException e) {
        throw new DataException(file + ": cannot read as Parquet: " + e.getMessage(), e);
      }
    }
    if (read < files.size()) {
      s.complete = false;
    }
    s.where = TabularPreflight.where(s, files);
    return s;
  }

  private static ParsedRow row(
      String file, long position, Group g, ColumnSelection columns, Kind[] kinds) {
    String labelText = null;
    double[] hot = null;
    if (columns.label >= 0) {
      int c = columns.label;
      labelText = isNull(g, c) ? "" : (kinds[c] == Kind.OTHER_NUMBER ? "0" : text(g, c)).trim();
    } else {
      hot = new double[columns.oneHot.length];
      for (int k = 0; k < hot.length; k++) {
        int c = columns.oneHot[k];
        hot[k] = isNull(g, c) ? Double.NaN : kinds[c] == Kind.OTHER_NUMBER ? 0 : number(g, c);
      }
    }
    int[] features = columns.features;
    float[] values = new float[features.length];
    for (int k = 0; k < features.length; k++) {
      int c = features[k];
      if (isNull(g, c)) {
        return ParsedRow.bad(
            file,
            position,
            UNIT,
            BadRowKind.MISSING_VALUE,
            columns.describe(c) + ": expected a number, got null");
      }
      double v = kinds[c] == Kind.OTHER_NUMBER ? 0 : number(g, c);
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
    if (hot == null) {
      return ParsedRow.good(file, position, UNIT, values, labelText);
    }
    int index = OneHot.index(hot);
    if (index < 0) {
      String[] shown = new String[hot.length];
      for (int k = 0; k < hot.length; k++) {
        shown[k] = String.valueOf(hot[k]);
      }
      return ParsedRow.bad(
          file, position, UNIT, BadRowKind.BAD_ONE_HOT, OneHot.problem(columns, shown));
    }
    return ParsedRow.goodOneHot(file, position, UNIT, values, index);
  }

  private static boolean isNull(Group g, int field) {
    return g.getFieldRepetitionCount(field) == 0;
  }

  /** The value as Spark casts it to a string: booleans as 1 / 0, numbers as written. */
  private static String text(Group g, int field) {
    PrimitiveType t = g.getType().getType(field).asPrimitiveType();
    return switch (t.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(field, 0) ? "1" : "0";
      case INT32 -> String.valueOf(g.getInteger(field, 0));
      case INT64 -> String.valueOf(g.getLong(field, 0));
      case FLOAT -> String.valueOf(g.getFloat(field, 0));
      case DOUBLE -> String.valueOf(g.getDouble(field, 0));
      default -> g.getString(field, 0);
    };
  }

  private static double number(Group g, int field) {
    PrimitiveType t = g.getType().getType(field).asPrimitiveType();
    return switch (t.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(field, 0) ? 1 : 0;
      case INT32 -> g.getInteger(field, 0);
      case INT64 -> g.getLong(field, 0);
      case FLOAT -> g.getFloat(field, 0);
      case DOUBLE -> g.getDouble(field, 0);
      default -> Numbers.value(g.getString(field, 0));
    };
  }

  /** How Spark would type a top-level column (see Spark's ParquetToSparkSchemaConverter). */
  private static Kind kind(Type field) {
    if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
      return Kind.OTHER;
    }
    PrimitiveType p = field.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    boolean decimal = a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
    PrimitiveTypeName name = p.getPrimitiveTypeName();
    return switch (name) {
      case BOOLEAN, FLOAT, DOUBLE -> Kind.SIMPLE_NUMBER;
      case INT32, INT64 -> {
        if (decimal) {
          yield Kind.OTHER_NUMBER;
        }
        yield a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
            ? Kind.SIMPLE_NUMBER
            : Kind.OTHER;
      }
      case BINARY, FIXED_LEN_BYTE_ARRAY -> {
        if (decimal) {
          yield Kind.OTHER_NUMBER;
        }
        yield name == PrimitiveTypeName.BINARY
                && (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                    || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation)
            ? Kind.STRING
            : Kind.OTHER;
      }
      case INT96 -> Kind.OTHER;
    };
  }

  private static void requireNumeric(
      Type field, Kind kind, int index, String path, String role, String hint) {
    if (kind == Kind.SIMPLE_NUMBER || kind == Kind.OTHER_NUMBER) {
      return;
    }
    throw new DataException(
        path
            + ": column '"
            + field.getName()
            + "' (index "
            + index
            + ") has type "
            + describe(field)
            + "; "
            + role
            + " must be numeric ("
            + hint
            + ")");
  }

  private static String describe(Type field) {
    if (!field.isPrimitive()) {
      return "group (a struct, list or map)";
    }
    PrimitiveType p = field.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
      return "string";
    }
    return p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT)
        + (a == null ? "" : " (" + a + ")");
  }
}
