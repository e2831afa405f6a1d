package sparktrain.ml;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** DataFrames of the project's CSV data sets for the Spark ML tests. */
final class MlTestData {
  private MlTestData() {}

  /** A CSV file with a header, numbers inferred. */
  static Dataset<Row> csv(SparkSession spark, Path file) {
    return spark.read().option("header", true).option("inferSchema", true).csv(file.toString());
  }

  /** An estimator of the project's {@code conf/NAME} config, labels in {@code label}. */
  static SparktrainEstimator estimator(String conf, String label) {
    return new SparktrainEstimator()
        .setConfigPath(Path.of("..", "conf", conf).toString())
        .setLabelCol(label);
  }

  /** The CSV file with every column but {@code label} assembled into {@code features}. */
  static Dataset<Row> assembled(SparkSession spark, Path file, String label) {
    String header = sparktrain.testing.TestDatasets.lines(file).get(0);
    return assembler(header, label).transform(csv(spark, file));
  }

  /** Assembles every column of {@code header} but {@code label} into {@code features}. */
  static VectorAssembler assembler(String header, String label) {
    String[] columns =
        Arrays.stream(header.split(",")).filter(c -> !c.equals(label)).toArray(String[]::new);
    return new VectorAssembler().setInputCols(columns).setOutputCol("features");
  }
}
