package sparktrain.bench;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What a competitor runs with.
 *
 * @param spark the session every Spark-based competitor shares
 * @param plan the benchmark's plan (data, epochs, seed via the config)
 * @param workDir a directory of this competitor's own (created, empty) for runs and temp files
 */
public record BenchmarkContext(SparkSession spark, BenchmarkPlan plan, Path workDir) {
  /** The Java Spark context of {@link #spark}. */
  public JavaSparkContext sc() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }
}
