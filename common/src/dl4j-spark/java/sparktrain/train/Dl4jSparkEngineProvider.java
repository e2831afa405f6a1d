package sparktrain.train;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.bench.TrainingStatsProfile;
import sparktrain.config.JobConfig;
import sparktrain.config.TrainingConfig;

/**
 * The dl4j engine of the Spark 3.5 build, on DL4J's Spark module: registered for {@link
 * java.util.ServiceLoader} in {@code META-INF/services/sparktrain.train.Dl4jEngineProvider}.
 */
public final class Dl4jSparkEngineProvider implements Dl4jEngineProvider {

  /** For {@link java.util.ServiceLoader}. */
  public Dl4jSparkEngineProvider() {}

  @Override
  public TrainingEngine engine(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<DataSet> batches,
      TrainingConfig training,
      int workers,
      String exportDir,
      RoundListener roundListener,
      RoundAdvisor advisor,
      int rounds) {
    return new Dl4jEngine(
        sc, net, batches, training, workers, exportDir, roundListener, advisor, rounds);
  }

  @Override
  public Map<String, Object> trainingStatsProfile(
      JavaSparkContext sc, JobConfig config, int epochs, String exportDir) {
    return TrainingStatsProfile.run(sc, config, epochs, exportDir);
  }
}
