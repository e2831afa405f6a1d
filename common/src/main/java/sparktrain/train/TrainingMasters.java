package sparktrain.train;

import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import sparktrain.config.RddApproach;
import sparktrain.config.RepartitionPolicy;
import sparktrain.config.TrainingConfig;

/** Builds DL4J's parameter-averaging training master from the {@code training} config section. */
public final class TrainingMasters {
  private TrainingMasters() {}

  /**
   * Creates the training master.
   *
   * @param training the training section
   * @param workers number of workers per averaging round (already resolved, &gt; 0)
   * @param exportDir directory (any Hadoop FS) for DL4J's exported minibatches
   */
  public static ParameterAveragingTrainingMaster create(
      TrainingConfig training, int workers, String exportDir) {
    return builder(training, workers, exportDir).build();
  }

  /**
   * The configured builder behind {@link #create}, for masters that extend DL4J's (see {@link
   * ResumableTrainingMaster}).
   */
  public static ParameterAveragingTrainingMaster.Builder builder(
      TrainingConfig training, int workers, String exportDir) {
    ParameterAveragingTrainingMaster.Builder b =
        new ParameterAveragingTrainingMaster.Builder(workers, training.batchSizePerWorker())
            .batchSizePerWorker(training.batchSizePerWorker())
            .averagingFrequency(training.averagingFrequency())
            .workerPrefetchNumBatches(training.prefetch())
            // The Builder leaves saveUpdater false (its javadoc says true): without it Adam's
            // moment estimates are reset at every averaging round.
            .saveUpdater(true)
            .rngSeed(training.seed())
            .rddTrainingApproach(
                training.rddApproach() == RddApproach.DIRECT
                    ? RDDTrainingApproach.Direct
                    : RDDTrainingApproach.Export)
            .repartionData(repartition(training.repartition()))
            .aggregationDepth(training.aggregationDepth())
            .exportDirectory(exportDir);
    return b;
  }

  private static Repartition repartition(RepartitionPolicy p) {
    return switch (p) {
      case ALWAYS -> Repartition.Always;
      case NEVER -> Repartition.Never;
      case WHEN_WORKERS_DIFFER -> Repartition.NumPartitionsWorkersDiffers;
    };
  }
}
