package sparktrain.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import sparktrain.config.JobConfig;
import sparktrain.data.DataException;
import sparktrain.data.Example;
import sparktrain.data.TrainingData;

/**
 * A DataFrame's {@code Vector} features and numeric labels as the {@link TrainingData} of a {@code
 * train} run. The examples stay distributed; labels are checked on the executors (a class index in
 * {@code [0, data.num-classes)} for classification, finite for regression).
 *
 * <p>With {@code data.split.validation} > 0 a seeded random fraction of the rows is the validation
 * split, and also the test split the run's final metrics and report are computed on; without it the
 * final metrics are those of the training rows.
 */
final class DataFrameExamples {
  private DataFrameExamples() {}

  /** The examples of {@code frame} for {@code config}'s model. */
  static TrainingData of(Dataset<?> frame, String featuresCol, String labelCol, JobConfig config) {
    StructType schema = frame.schema();
    MlColumns.requireVector(schema, "featuresCol", featuresCol);
    MlColumns.requireNumeric(schema, "labelCol", labelCol);
    List<String> names = featureNames(schema, featuresCol);
    int size = config.model().input().size();
    AttributeGroup group = AttributeGroup.fromStructField(schema.apply(featuresCol));
    if (group.size() >= 0 && group.size() != size) {
      throw new IllegalArgumentException(
          "Column "
              + featuresCol
              + " (featuresCol) holds vectors of "
              + group.size()
              + " values, but the network takes "
              + size
              + " (model.input.size)");
    }
    boolean regression = config.model().outputLayer().loss().isRegression();
    int classes = config.data().numClasses();
    JavaRDD<Example> all =
        frame
            .select(functions.col(featuresCol), functions.col(labelCol).cast("double"))
            .toJavaRDD()
            .map(row -> example(row, featuresCol, labelCol, regression, classes));
    double v = config.data().split().validation();
    Optional<JavaRDD<Example>> validation = Optional.empty();
    JavaRDD<Example> train = all;
    if (v > 0) {
      JavaRDD<Example>[] parts = all.randomSplit(new double[] {1 - v, v}, config.data().seed());
      train = parts[0];
      validation = Optional.of(parts[1]);
    }
    return new TrainingData(
        train, validation.orElse(train), List.of(), validation, names, Optional.empty(), Map.of());
  }

  /** The features' names from the column's ML attributes (a VectorAssembler's), or none. */
  private static List<String> featureNames(StructType schema, String featuresCol) {
    AttributeGroup group = AttributeGroup.fromStructField(schema.apply(featuresCol));
    if (group.attributes().isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (Attribute a : group.attributes().get()) {
      if (a.name().isEmpty()) {
        return List.of();
      }
      names.add(a.name().get());
    }
    return names;
  }

  private static Example example(
      Row row, String featuresCol, String labelCol, boolean regression, int classes) {
    if (row.isNullAt(0) || row.isNullAt(1)) {
      throw new DataException(
          "Column " + (row.isNullAt(0) ? featuresCol : labelCol) + " is null in a row");
    }
    double label = row.getDouble(1);
    if (!Double.isFinite(label)
        || (!regression && (label != Math.rint(label) || label < 0 || label >= classes))) {
      throw new DataException(
          "Column "
              + labelCol
              + " (labelCol) holds "
              + label
              + (regression
                  ? "; expected a finite target"
                  : "; expected a class index 0 .. " + (classes - 1) + " (data.num-classes)"));
    }
    double[] values = ((Vector) row.get(0)).toArray();
    float[] features = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      features[i] = (float) values[i];
    }
    return new Example(features, label);
  }
}
