package sparktrain.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.testing.TestDatasets.breastCancer;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.JobConfig;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestDatasets;

/**
 * {@link InputPreflight} on Parquet written by Spark from the real breast-cancer CSV: the schema
 * and the first rows are read on the driver with Parquet's own reader, and the problems the
 * executors would find (labels out of range, nulls, a non-numeric feature, another width) are
 * reported without a Spark job.
 */
class InputPreflightParquetTest extends LocalSparkTestBase {
  @TempDir Path tmp;

  private Path parquet(Dataset<Row> df, String name) {
    Path dir = tmp.resolve(name);
    df.coalesce(1).write().parquet(dir.toString());
    return dir;
  }

  private Dataset<Row> breast() {
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(breastCancer().toString());
  }

  private static JobConfig config(Path dir, String... more) {
    return TestDatasets.breastCancerJob("parquet", dir, more);
  }

  private static void check(JobConfig config) {
    InputPreflight.check(
        config.data(),
        InputPreflight.Expectation.of(config),
        InputPreflight.Usage.TRAIN,
        new org.apache.hadoop.conf.Configuration());
  }

  @Test
  void goodParquetPassesAndAnotherWidthIsNamed() {
    Path dir = parquet(breast(), "bc.parquet");
    check(config(dir));
    String message =
        assertThrows(DataException.class, () -> check(config(dir, "model.input.size=31")))
            .getMessage();
    assertThat(message)
        .startsWith("data.path = " + dir + ": the data has 30 feature columns (mean_radius,")
        .contains("but model.input.size is 31");
  }

  @Test
  void badLabelsAndNullsAmongTheFirstRowsAreReportedTogether() {
    Dataset<Row> df =
        breast()
            .withColumn("n", org.apache.spark.sql.functions.monotonically_increasing_id())
            .withColumn("benign", when(col("n").equalTo(3), lit(7)).otherwise(col("benign")))
            .withColumn(
                "mean_radius",
                when(col("n").equalTo(5), lit(null).cast("double")).otherwise(col("mean_radius")))
            .drop("n");
    Path dir = parquet(df, "bad.parquet");

    String message = assertThrows(DataException.class, () -> check(config(dir))).getMessage();

    assertThat(message)
        .contains("2 bad of all 569 rows (data.bad-rows = fail;")
        .contains("missing-value (1 row), first at file:")
        .contains("row 6, column 'mean_radius' (index 0): expected a number, got null")
        .contains("label-out-of-range (1 row), first at file:")
        .contains("row 4, label column 'benign' (index 30): expected a class index in [0, 2)");
  }

  @Test
  void aStringFeatureColumnIsNamedBeforeAnySparkJob() {
    Path dir =
        parquet(breast().withColumn("mean_area", col("mean_area").cast("string")), "s.parquet");
    String message = assertThrows(DataException.class, () -> check(config(dir))).getMessage();
    assertThat(message)
        .contains("column 'mean_area' (index 3) has type string; a feature must be numeric");
  }
}
