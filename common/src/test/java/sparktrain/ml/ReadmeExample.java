package sparktrain.ml;

import java.util.Arrays;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Java example of the README's "Spark ML" section: the code between the markers is the README's
 * code block, character for character ({@link SparkMlPipelineTest} checks it and runs it).
 */
final class ReadmeExample {
  /** What the example computed. */
  record Result(
      Dataset<Row> test,
      Dataset<Row> scored,
      double auc,
      PipelineModel model,
      PipelineModel reloaded) {}

  private ReadmeExample() {}

  static Result run(SparkSession spark, String csv, String configPath, String modelDir)
      throws java.io.IOException {
    // README example start
    Dataset<Row> data = spark.read().option("header", true).option("inferSchema", true).csv(csv);
    String[] columns =
        Arrays.stream(data.columns()).filter(c -> !c.equals("benign")).toArray(String[]::new);
    Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 42);

    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler().setInputCols(columns).setOutputCol("raw"),
                  new StandardScaler().setInputCol("raw").setOutputCol("features"),
                  new SparktrainEstimator()
                      .setConfigPath(configPath) // e.g. conf/binary-mlp.conf
                      .setLabelCol("benign")
                      .setEpochs(5)
                });
    PipelineModel model = pipeline.fit(split[0]);

    Dataset<Row> scored = model.transform(split[1]); // every input column + MLlib's columns
    double auc =
        new BinaryClassificationEvaluator()
            .setLabelCol("benign")
            .setRawPredictionCol("rawPrediction")
            .evaluate(scored);

    model.write().overwrite().save(modelDir);
    PipelineModel reloaded = PipelineModel.load(modelDir);
    // README example end
    return new Result(split[1], scored, auc, model, reloaded);
  }
}
