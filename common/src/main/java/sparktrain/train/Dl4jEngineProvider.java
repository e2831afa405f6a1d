package sparktrain.train;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.JobConfig;
import sparktrain.config.TrainingConfig;

/**
 * What {@code training.engine = dl4j} needs from DL4J's Spark module ({@code dl4j-spark3}), which
 * exists for Scala 2.12 only: its implementation is compiled by the Spark 3.5 build alone ({@code
 * -Pspark-3.5}, sources in {@code common/src/dl4j-spark/}) and found with {@link
 * java.util.ServiceLoader}. Callers go through {@link Dl4jEngines}.
 */
public interface Dl4jEngineProvider {

  /**
   * The dl4j engine: DL4J's {@code ParameterAveragingTrainingMaster}, one Spark job per averaging
   * round.
   *
   * @param batches the training minibatches (cut per partition, normalized)
   * @param workers workers per averaging round (&gt; 0)
   * @param exportDir directory (any Hadoop FS) for DL4J's exported minibatches
   * @param roundListener called after each round
   * @param advisor listens to the rounds' Spark jobs and warns when overhead dominates
   * @param rounds averaging rounds per epoch (for the progress line)
   */
  TrainingEngine engine(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<DataSet> batches,
      TrainingConfig training,
      int workers,
      String exportDir,
      RoundListener roundListener,
      RoundAdvisor advisor,
      int rounds);

  /**
   * The benchmark's profiling pass: trains {@code epochs} epochs with DL4J's training stats and
   * returns them per epoch (see {@code sparktrain.bench.TrainingStatsProfile}).
   */
  Map<String, Object> trainingStatsProfile(
      JavaSparkContext sc, JobConfig config, int epochs, String exportDir);
}
