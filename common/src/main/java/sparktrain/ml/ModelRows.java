package sparktrain.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import sparktrain.data.DataException;
import sparktrain.data.Example;
import sparktrain.eval.EvaluationPlan;
import sparktrain.predict.PredictionRows;
import sparktrain.predict.Predictor;

/**
 * A DataFrame row in, the same row out with MLlib's columns appended: {@code prediction} (double:
 * the class index, NaN for a non-finite output; a regression's first output), and for classifiers
 * {@code rawPrediction} (the output layer's values) and, for probabilistic outputs, {@code
 * probability} (the same values; a single sigmoid unit p becomes [1 - p, p] in both). Classes are
 * predicted by the rules of {@code predict} and {@code evaluate} ({@link PredictionRows}).
 *
 * @param featuresIndex index of the features column in the input rows
 * @param featuresCol its name, for errors
 * @param plan how the network's outputs are read
 */
record ModelRows(int featuresIndex, String featuresCol, EvaluationPlan plan)
    implements Predictor.RecordRows<Row> {

  /** Output columns a model of {@code plan} appends, in order: prediction, raw, probability. */
  static int appended(EvaluationPlan plan) {
    if (plan.kind() == EvaluationPlan.Kind.REGRESSION) {
      return 1;
    }
    return plan.probabilistic() ? 3 : 2;
  }

  @Override
  public Example example(Row record) {
    if (record.isNullAt(featuresIndex)) {
      throw new DataException("Column " + featuresCol + " (featuresCol) is null in a row");
    }
    double[] values = ((Vector) record.get(featuresIndex)).toArray();
    float[] features = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      features[i] = (float) values[i];
    }
    return new Example(features, 0);
  }

  @Override
  public Row row(Row record, Example example, float[] output) {
    int n = record.size();
    Object[] values = new Object[n + appended(plan)];
    for (int i = 0; i < n; i++) {
      values[i] = record.get(i);
    }
    if (plan.kind() == EvaluationPlan.Kind.REGRESSION) {
      values[n] = (double) output[0];
      return RowFactory.create(values);
    }
    PredictionRows rules = new PredictionRows(plan);
    values[n] =
        PredictionRows.isFinite(output) ? (double) rules.predictedClass(output) : Double.NaN;
    double[] raw;
    if (plan.kind() == EvaluationPlan.Kind.BINARY && plan.outputs() == 1) {
      raw = new double[] {1 - output[0], output[0]};
    } else {
      raw = new double[output.length];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = output[i];
      }
    }
    values[n + 1] = Vectors.dense(raw);
    if (plan.probabilistic()) {
      values[n + 2] = Vectors.dense(raw);
    }
    return RowFactory.create(values);
  }
}
