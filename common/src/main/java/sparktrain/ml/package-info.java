/**
 * Spark ML integration: {@link sparktrain.ml.SparktrainEstimator} trains a network on a DataFrame's
 * {@code Vector} features through the same engine as {@code train}, and {@link
 * sparktrain.ml.SparktrainModel} scores DataFrames, appending MLlib's {@code prediction}, {@code
 * probability} and {@code rawPrediction} columns. Both follow Spark ML's conventions (Params with
 * defaults, {@code uid}, {@code copy}, {@code MLWritable}/{@code MLReadable}) and work inside a
 * {@code Pipeline} and a {@code CrossValidator}.
 */
package sparktrain.ml;
