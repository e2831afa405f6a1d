package sparktrain.predict;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import sparktrain.data.Example;
import sparktrain.eval.BinaryClassificationMetrics;
import sparktrain.eval.EvaluationPlan;

/**
 * The rows of a prediction output, by the kind of model:
 *
 * <ul>
 *   <li>every kind: {@code id} (long, the record's index in the input, from 0) and {@code label}
 *       (double, the input's label or target);
 *   <li>classification: {@code predicted_label} (int; null when an output is NaN or infinite) and
 *       {@code probabilities} (array of float, one per class; a single sigmoid unit p becomes [1 -
 *       p, p]), or {@code scores} for a hinge model's raw outputs. Binary models predict class 1
 *       when p(class 1) >= 0.5, as the binary metrics do; others the most probable class (the first
 *       on ties);
 *   <li>regression: {@code prediction} (double, output column 0) and, with several output columns,
 *       {@code outputs} (array of double, all of them).
 * </ul>
 *
 * <p>Then the input columns {@code predict --keep-columns} names, as text (string, nullable), in
 * the order given.
 *
 * @param plan how the model's outputs are read
 * @param kept the kept input columns' names
 */
public record PredictionRows(EvaluationPlan plan, List<String> kept)
    implements Predictor.RecordRows<Tuple2<Example, Long>> {

  /** Rows without kept input columns. */
  public PredictionRows(EvaluationPlan plan) {
    this(plan, List.of());
  }

  /** Copies {@code kept}. */
  public PredictionRows {
    kept = List.copyOf(kept);
  }

  /** Column of the record index. */
  public static final String ID = "id";

  /** Column of the input's label. */
  public static final String LABEL = "label";

  /** Column of the predicted class. */
  public static final String PREDICTED_LABEL = "predicted_label";

  /** Column of the class probabilities. */
  public static final String PROBABILITIES = "probabilities";

  /** Column of a hinge model's raw scores. */
  public static final String SCORES = "scores";

  /** Column of a regression model's first output. */
  public static final String PREDICTION = "prediction";

  /** Column of all of a regression model's outputs (when there are several). */
  public static final String OUTPUTS = "outputs";

  private boolean regression() {
    return plan.kind() == EvaluationPlan.Kind.REGRESSION;
  }

  /** The Spark SQL schema of the rows. */
  public StructType schema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(ID, DataTypes.LongType, false));
    f.add(DataTypes.createStructField(LABEL, DataTypes.DoubleType, false));
    if (regression()) {
      f.add(DataTypes.createStructField(PREDICTION, DataTypes.DoubleType, false));
      if (plan.outputs() > 1) {
        f.add(
            DataTypes.createStructField(
                OUTPUTS, DataTypes.createArrayType(DataTypes.DoubleType, false), false));
      }
    } else {
      f.add(DataTypes.createStructField(PREDICTED_LABEL, DataTypes.IntegerType, true));
      f.add(
          DataTypes.createStructField(
              plan.probabilistic() ? PROBABILITIES : SCORES,
              DataTypes.createArrayType(DataTypes.FloatType, false),
              false));
    }
    for (String name : kept) {
      f.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    return DataTypes.createStructType(f);
  }

  @Override
  public Example example(Tuple2<Example, Long> record) {
    return record._1();
  }

  @Override
  public Row row(Tuple2<Example, Long> record, Example example, float[] output) {
    return row(record._2(), example.label(), output, example.kept());
  }

  /**
   * The row of one record: its index, label, the network's output row and its kept input cells
   * (null: none).
   */
  public Row row(long id, double label, float[] output, String[] cells) {
    Row row = row(id, label, output);
    if (kept.isEmpty()) {
      return row;
    }
    Object[] values = new Object[row.size() + kept.size()];
    for (int i = 0; i < row.size(); i++) {
      values[i] = row.get(i);
    }
    for (int k = 0; k < kept.size(); k++) {
      values[row.size() + k] = cells == null ? null : cells[k];
    }
    return RowFactory.create(values);
  }

  /** The row of one record from the network's output row. */
  public Row row(long id, double label, float[] output) {
    boolean finite = isFinite(output);
    if (regression()) {
      if (plan.outputs() > 1) {
        double[] all = new double[output.length];
        for (int i = 0; i < all.length; i++) {
          all[i] = output[i];
        }
        return RowFactory.create(id, label, (double) output[0], all);
      }
      return RowFactory.create(id, label, (double) output[0]);
    }
    Integer predicted = finite ? predictedClass(output) : null;
    float[] values = output;
    if (plan.kind() == EvaluationPlan.Kind.BINARY && plan.outputs() == 1) {
      values = new float[] {1 - output[0], output[0]};
    }
    return RowFactory.create(id, label, predicted, values);
  }

  /** The predicted class of a finite output row (same rules as the evaluation's). */
  public int predictedClass(float[] out) {
    if (plan.kind() == EvaluationPlan.Kind.BINARY) {
      double p = plan.outputs() == 1 ? out[0] : out[1];
      return p >= BinaryClassificationMetrics.THRESHOLD ? 1 : 0;
    }
    if (plan.outputs() == 1) {
      return out[0] >= 0 ? 1 : 0; // hinge with one unit: the sign decides
    }
    int best = 0;
    for (int i = 1; i < out.length; i++) {
      if (out[i] > out[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Whether every value is finite. */
  public static boolean isFinite(float[] row) {
    for (float v : row) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
