package sparktrain.data.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.randn;
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
 */
public final class SyntheticTable {
  private SyntheticTable() {}

  /** Writes {@code rows} rows of {@code features} features to {@code out}; returns the rows. */
  public static long write(
      SparkSession spark,
      String out,
      String format,
      long rows,
      int features,
      long seed,
      int partitions) {
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("format must be parquet or csv, got " + format);
    }
    List<Column> cols = new ArrayList<>();
    Column score = lit(0.0);
    for (int j = 0; j < features; j++) {
      Column f = randn(seed + j).cast("float").as("f" + j);
      cols.add(f);
    }
    Dataset<Row> x = spark.range(0, rows, 1, partitions).select(cols.toArray(new Column[0]));
    for (int j = 0; j < features; j++) {
      score = score.plus(col("f" + j).multiply((j % 2 == 0 ? 1.0 : -1.0) / Math.sqrt(j + 1)));
    }
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
