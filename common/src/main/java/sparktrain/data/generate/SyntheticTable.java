package sparktrain.data.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A table of any size from a known rule, written by Spark's executors (Parquet or CSV with a
 * header): features {@code f0 .. f(d-1)} drawn from N(0, 1), and a binary {@code label} that is 1
 * when {@code sum_j w_j f_j + 0.5 * noise > 0}, with {@code w_j = (-1)^j / sqrt(j + 1)}. A logistic
 * regression or a small MLP learns it to about 90% accuracy (the noise sets the limit).
 *
 * <p>With {@link Values#BYTE} each feature is stored as the whole number {@code clamp(round(128 +
 * 40 f_j), 0, 255)} (an int column) and the rule is applied to those stored values, {@code (x_j -
 * 128) / 40}: a table of pixel-like columns that sparktrain's spool keeps at one byte per value,
 * and that is several times smaller than float columns in Parquet and CSV.
 */
public final class SyntheticTable {
  private SyntheticTable() {}

  /**
   * The sum of {@code terms} as a balanced tree of additions: a left-deep chain of hundreds of
   * columns overflows the stack of Spark's analyzer.
   */
  private static Column sum(List<Column> terms) {
    if (terms.isEmpty()) {
      return lit(0.0);
    }
    List<Column> level = terms;
    while (level.size() > 1) {
      List<Column> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(i + 1 < level.size() ? level.get(i).plus(level.get(i + 1)) : level.get(i));
      }
      level = next;
    }
    return level.get(0);
  }

  /** How feature values are stored. */
  public enum Values {
    /** float32 draws from N(0, 1). */
    NORMAL,
    /** whole numbers in [0, 255] (see the class comment). */
    BYTE
  }

  /** As {@link #write(SparkSession, String, String, long, int, long, int, Values)} with normal. */
  public static long write(
      SparkSession spark,
      String out,
      String format,
      long rows,
      int features,
      long seed,
      int partitions) {
    return write(spark, out, format, rows, features, seed, partitions, Values.NORMAL);
  }

  /** Writes {@code rows} rows of {@code features} features to {@code out}; returns the rows. */
  public static long write(
      SparkSession spark,
      String out,
      String format,
      long rows,
      int features,
      long seed,
      int partitions,
      Values values) {
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("format must be parquet or csv, got " + format);
    }
    List<Column> cols = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      Column z = randn(seed + j);
      Column f =
          values == Values.BYTE
              ? least(greatest(round(z.multiply(40).plus(128)), lit(0)), lit(255)).cast("int")
              : z.cast("float");
      cols.add(f.as("f" + j));
    }
    Dataset<Row> x = spark.range(0, rows, 1, partitions).select(cols.toArray(new Column[0]));
    List<Column> terms = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      Column v = values == Values.BYTE ? col("f" + j).minus(128).divide(40.0) : col("f" + j);
      terms.add(v.multiply((j % 2 == 0 ? 1.0 : -1.0) / Math.sqrt(j + 1)));
    }
    Column score = sum(terms);
    Dataset<Row> table =
        x.withColumn(
            "label", when(score.plus(randn(seed + features).multiply(0.5)).gt(0), 1).otherwise(0));
    var writer = table.write().mode(SaveMode.ErrorIfExists);
    if (format.equals("csv")) {
      writer.option("header", "true").csv(out);
    } else {
      writer.parquet(out);
    }
    return rows;
  }
}
