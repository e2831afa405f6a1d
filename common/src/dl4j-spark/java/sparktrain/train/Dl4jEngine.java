package sparktrain.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.TrainingConfig;

/**
 * The {@code dl4j} engine: DL4J's {@code ParameterAveragingTrainingMaster} (through {@link
 * ResumableTrainingMaster}), one Spark job per averaging round, with the progress line and the
 * round advisor listening to those jobs.
 */
final class Dl4jEngine implements TrainingEngine {
  private final JavaSparkContext sc;
  private final TrainingConfig training;
  private final ResumableTrainingMaster master;
  private final SparkDl4jMultiLayer sparkNet;
  private final JavaRDD<DataSet> batches;
  private final FitProgress progress;
  private final RoundAdvisor advisor;
  private final int rounds;
  private final long examplesPerRound;

  /**
   * @param batches the training minibatches (cut per partition, normalized)
   * @param rounds averaging rounds per epoch (for the progress line)
   */
  Dl4jEngine(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<DataSet> batches,
      TrainingConfig training,
      int workers,
      String exportDir,
      RoundListener roundListener,
      RoundAdvisor advisor,
      int rounds) {
    this.sc = sc;
    this.training = training;
    this.batches = batches;
    this.rounds = rounds;
    this.master = ResumableTrainingMaster.create(training, workers, exportDir);
    this.master.setRoundListener(roundListener);
    this.sparkNet = new SparkDl4jMultiLayer(sc, net, master);
    this.progress = new FitProgress(training.progressInterval());
    this.advisor = advisor;
    this.examplesPerRound =
        (long) workers * training.batchSizePerWorker() * training.averagingFrequency();
    sc.sc().addSparkListener(progress);
    sc.sc().addSparkListener(advisor);
  }

  @Override
  public MultiLayerNetwork network() {
    return sparkNet.getNetwork();
  }

  @Override
  public EpochFit fitEpoch(int epoch, int skipRounds, String jobGroup, String label) {
    master.beginEpoch(training.seed(), epoch, skipRounds);
    progress.begin(jobGroup, label, Math.max(1, rounds - skipRounds), examplesPerRound);
    advisor.watch(jobGroup);
    try {
      sparkNet.fit(batches);
    } finally {
      progress.end();
    }
    return new EpochFit(
        sparkNet.getScore(), Math.max(0, rounds - skipRounds), List.of(), List.of(), rounds);
  }

  @Override
  public void close() {
    sc.sc().removeSparkListener(progress);
    sc.sc().removeSparkListener(advisor);
  }
}
