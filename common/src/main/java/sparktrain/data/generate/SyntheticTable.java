package sparktrain.data.generate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

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
 *
 * <p>Rows are drawn in plain Java, one seeded generator per partition (the same seed, rows and
 * partitions give the same table). The earlier form, an SQL expression of hundreds of {@code randn}
 * columns, had not written a 1M x 500 table after 12 minutes.
 */
public final class SyntheticTable {
  private SyntheticTable() {}

  /** How feature values are stored. */
  public enum Values {
    /** float32 draws from N(0, 1). */
    NORMAL,
    /** whole numbers in [0, 255] (see the class comment). */
    BYTE
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
    List<StructField> fields = new ArrayList<>();
    DataType type = values == Values.BYTE ? DataTypes.IntegerType : DataTypes.FloatType;
    for (int j = 0; j < features; j++) {
      fields.add(DataTypes.createStructField("f" + j, type, false));
    }
    fields.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
    JavaRDD<Row> generated =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
            .mapPartitions(
                parts -> {
                  int p = parts.next();
                  long first = rows * p / partitions;
                  long end = rows * (p + 1) / partitions;
                  return new RowIterator(end - first, features, seed, p, values);
                });
    Dataset<Row> table = spark.createDataFrame(generated, DataTypes.createStructType(fields));
    var writer = table.write().mode(SaveMode.ErrorIfExists);
    if (format.equals("csv")) {
      writer.option("header", "true").csv(out);
    } else {
      writer.parquet(out);
    }
    return rows;
  }

  /** The rows of one partition, drawn one at a time. */
  private static final class RowIterator implements Iterator<Row> {
    private final SplittableRandom random;
    private final int features;
    private final Values values;
    private final double[] weights;
    private long left;

    RowIterator(long rows, int features, long seed, int partition, Values values) {
      this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + partition);
      this.features = features;
      this.values = values;
      this.left = rows;
      this.weights = new double[features];
      for (int j = 0; j < features; j++) {
        weights[j] = (j % 2 == 0 ? 1.0 : -1.0) / Math.sqrt(j + 1);
      }
    }

    @Override
    public boolean hasNext() {
      return left > 0;
    }

    @Override
    public Row next() {
      if (left <= 0) {
        throw new NoSuchElementException();
      }
      left--;
      Object[] cells = new Object[features + 1];
      double score = 0;
      for (int j = 0; j < features; j++) {
        double z = random.nextGaussian();
        if (values == Values.BYTE) {
          int x = (int) Math.max(0, Math.min(255, Math.round(128 + 40 * z)));
          cells[j] = x;
          score += weights[j] * ((x - 128) / 40.0);
        } else {
          float f = (float) z;
          cells[j] = f;
          score += weights[j] * f;
        }
      }
      cells[features] = score + 0.5 * random.nextGaussian() > 0 ? 1 : 0;
      return RowFactory.create(cells);
    }
  }
}
