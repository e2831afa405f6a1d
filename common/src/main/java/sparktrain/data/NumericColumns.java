package sparktrain.data;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/**
 * Reads numeric (and boolean, and for a label string) columns of Spark's internal rows by their own
 * type, as a cast to double or string in Spark SQL would, without a projection of the row. Value
 * {@code i} is the i-th column this reads (a row's column {@code at} may be offset).
 */
final class NumericColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final byte BYTE = 0;
  private static final byte SHORT = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte FLOAT = 4;
  private static final byte DOUBLE = 5;
  private static final byte BOOLEAN = 6;
  private static final byte DECIMAL = 7;
  private static final byte STRING = 8;

  private final byte[] kinds;
  private final int[] precision;
  private final int[] scale;

  private NumericColumns(byte[] kinds, int[] precision, int[] scale) {
    this.kinds = kinds;
    this.precision = precision;
    this.scale = scale;
  }

  /** Readers for columns of these types (numeric, boolean or string; the caller checked). */
  static NumericColumns of(List<DataType> types) {
    byte[] kinds = new byte[types.size()];
    int[] precision = new int[kinds.length];
    int[] scale = new int[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      DataType t = types.get(i);
      if (t instanceof DecimalType d) {
        kinds[i] = DECIMAL;
        precision[i] = d.precision();
        scale[i] = d.scale();
      } else {
        kinds[i] = kind(t);
      }
    }
    return new NumericColumns(kinds, precision, scale);
  }

  private static byte kind(DataType t) {
    if (t instanceof ByteType) {
      return BYTE;
    } else if (t instanceof ShortType) {
      return SHORT;
    } else if (t instanceof IntegerType) {
      return INT;
    } else if (t instanceof LongType) {
      return LONG;
    } else if (t instanceof FloatType) {
      return FLOAT;
    } else if (t instanceof DoubleType) {
      return DOUBLE;
    } else if (t instanceof BooleanType) {
      return BOOLEAN;
    } else if (t instanceof StringType) {
      return STRING;
    }
    throw new IllegalArgumentException("not a numeric, boolean or string column: " + t);
  }

  /** Value {@code i}, at the row's column {@code at} (not null), as a double. */
  double get(InternalRow row, int at, int i) {
    return switch (kinds[i]) {
      case BYTE -> row.getByte(at);
      case SHORT -> row.getShort(at);
      case INT -> row.getInt(at);
      case LONG -> row.getLong(at);
      case FLOAT -> row.getFloat(at);
      case DOUBLE -> row.getDouble(at);
      case BOOLEAN -> row.getBoolean(at) ? 1 : 0;
      case DECIMAL -> row.getDecimal(at, precision[i], scale[i]).toDouble();
      default -> throw new IllegalStateException("a string column read as a number");
    };
  }

  /** Value {@code i} (not null) as text: a string as it is, a number as Spark casts it. */
  String text(InternalRow row, int at, int i) {
    return switch (kinds[i]) {
      case STRING -> row.getUTF8String(at).toString();
      case BYTE, SHORT, INT, BOOLEAN -> Integer.toString((int) get(row, at, i));
      case LONG -> Long.toString(row.getLong(at));
      case FLOAT -> Float.toString(row.getFloat(at));
      case DOUBLE -> Double.toString(row.getDouble(at));
      case DECIMAL -> row.getDecimal(at, precision[i], scale[i]).toString();
      default -> throw new IllegalStateException("unknown column kind " + kinds[i]);
    };
  }
}
