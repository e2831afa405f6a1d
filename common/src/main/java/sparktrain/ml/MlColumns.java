package sparktrain.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import sparktrain.eval.EvaluationPlan;

/**
 * The column Params the estimator and its model share ({@code featuresCol}, {@code labelCol},
 * {@code predictionCol}, {@code probabilityCol}, {@code rawPredictionCol}, with MLlib's defaults),
 * and the schema checks that name a wrong column, its type and the type expected.
 */
final class MlColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  final Param<String> features;
  final Param<String> label;
  final Param<String> prediction;
  final Param<String> probability;
  final Param<String> rawPrediction;

  MlColumns(Params parent) {
    features = new Param<>(parent, "featuresCol", "features column name (a Vector column)");
    label = new Param<>(parent, "labelCol", "label column name (numeric: class index or target)");
    prediction = new Param<>(parent, "predictionCol", "prediction column name");
    probability =
        new Param<>(parent, "probabilityCol", "column name for the class probabilities (Vector)");
    rawPrediction =
        new Param<>(
            parent, "rawPredictionCol", "column name for the network's raw outputs (Vector)");
    parent.setDefault(features, "features");
    parent.setDefault(label, "label");
    parent.setDefault(prediction, "prediction");
    parent.setDefault(probability, "probability");
    parent.setDefault(rawPrediction, "rawPrediction");
  }

  /**
   * The names of the columns a model of {@code plan} appends, in order: prediction, then for
   * classifiers raw prediction, then for probabilistic ones probability (see {@link ModelRows}).
   */
  List<String> outputs(Params owner, EvaluationPlan plan) {
    List<String> names = new ArrayList<>();
    names.add(owner.getOrDefault(prediction));
    if (plan.kind() != EvaluationPlan.Kind.REGRESSION) {
      names.add(owner.getOrDefault(rawPrediction));
      if (plan.probabilistic()) {
        names.add(owner.getOrDefault(probability));
      }
    }
    return names;
  }

  /**
   * Requires {@code column} ({@code param}'s value) to be a {@code Vector} column.
   *
   * @throws IllegalArgumentException naming the column, its type and the type expected
   */
  static void requireVector(StructType schema, String param, String column) {
    DataType type = field(schema, param, column, "a Vector column").dataType();
    if (!type.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException(
          wrongType(param, column, type, "vector (org.apache.spark.ml.linalg.Vector)")
              + "; assemble numeric columns into one with a VectorAssembler");
    }
  }

  /**
   * Requires {@code column} to be numeric (cast to double).
   *
   * @throws IllegalArgumentException naming the column, its type and the type expected
   */
  static void requireNumeric(StructType schema, String param, String column) {
    DataType type = field(schema, param, column, "a numeric column").dataType();
    if (!(type instanceof NumericType)) {
      throw new IllegalArgumentException(
          wrongType(param, column, type, "numeric (double, float, int, long ...)")
              + "; index string labels with a StringIndexer");
    }
  }

  /** The schema with the output columns appended; a column that already exists is an error. */
  static StructType withOutputs(StructType schema, List<String> names) {
    StructType out = schema;
    for (String name : names) {
      if (List.of(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException(
            "Output column " + name + " already exists in the input (columns: " + columns(schema));
      }
      out =
          out.add(
              name,
              name.equals(names.get(0)) ? DataTypes.DoubleType : SQLDataTypes.VectorType(),
              false);
    }
    return out;
  }

  private static StructField field(StructType schema, String param, String column, String want) {
    if (!List.of(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(
          "Column "
              + column
              + " ("
              + param
              + ") does not exist; expected "
              + want
              + ". Available columns: "
              + columns(schema));
    }
    return schema.apply(column);
  }

  private static String wrongType(String param, String column, DataType actual, String expected) {
    return "Column "
        + column
        + " ("
        + param
        + ") must be of type "
        + expected
        + " but was actually "
        + actual.catalogString();
  }

  private static String columns(StructType schema) {
    return String.join(", ", schema.fieldNames());
  }
}
