package sparktrain.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The column Params and their Java setters the estimator and its model share ({@code featuresCol},
 * {@code labelCol}, {@code predictionCol}, {@code probabilityCol}, {@code rawPredictionCol}); the
 * Param objects live in the implementing stage's {@link MlColumns}.
 *
 * @param <T> the implementing stage, returned by the setters
 */
public interface ColumnParams<T extends ColumnParams<T>> extends Params {
  /** The stage's column Params (not a Param itself). */
  MlColumns mlColumns();

  /** Param: features column (a Vector column). */
  default Param<String> featuresCol() {
    return mlColumns().features;
  }

  /** Param: label column (numeric). */
  default Param<String> labelCol() {
    return mlColumns().label;
  }

  /** Param: prediction column. */
  default Param<String> predictionCol() {
    return mlColumns().prediction;
  }

  /** Param: probability column (Vector). */
  default Param<String> probabilityCol() {
    return mlColumns().probability;
  }

  /** Param: raw prediction column (Vector). */
  default Param<String> rawPredictionCol() {
    return mlColumns().rawPrediction;
  }

  /** Sets the features column. */
  default T setFeaturesCol(String value) {
    return with(featuresCol(), value);
  }

  /** Sets the label column. */
  default T setLabelCol(String value) {
    return with(labelCol(), value);
  }

  /** Sets the prediction column. */
  default T setPredictionCol(String value) {
    return with(predictionCol(), value);
  }

  /** Sets the probability column. */
  default T setProbabilityCol(String value) {
    return with(probabilityCol(), value);
  }

  /** Sets the raw prediction column. */
  default T setRawPredictionCol(String value) {
    return with(rawPredictionCol(), value);
  }

  @SuppressWarnings("unchecked")
  private T with(Param<String> param, String value) {
    set(param, value);
    return (T) this;
  }
}
