package sparktrain.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.util.ExportSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.RddApproach;
import sparktrain.config.RepartitionPolicy;
import sparktrain.config.TrainingConfig;

/** Builds DL4J's parameter-averaging training master from the {@code training} config section. */
public final class TrainingMasters {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingMasters.class);

  private TrainingMasters() {}

  /**
   * The approach DL4J can train with on this Spark context: {@code configured}, except that the
   * export approach becomes direct (with one INFO line saying why) where DL4J would refuse it.
   *
   * <p>DL4J's {@code ExportSupport} refuses export at the first fit unless the master is {@code
   * local}, {@code local[N]} or {@code local[*]}, or the <em>default</em> Hadoop file system (not
   * the export directory's) is other than {@code file:}: a standalone cluster on one machine, such
   * as {@code submit-scripts/local-cluster}'s, with the usual {@code file:} default is refused
   * although its executors share the disk. Direct ships the minibatches through Spark every round
   * instead of reading exported files: slower per epoch, but it runs everywhere.
   */
  public static RDDTrainingApproach usableApproach(
      RDDTrainingApproach configured, JavaSparkContext sc) {
    if (configured != RDDTrainingApproach.Export) {
      return configured;
    }
    try {
      return usableApproach(configured, sc.master(), FileSystem.get(sc.hadoopConfiguration()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the default Hadoop file system", e);
    }
  }

  /**
   * {@link #usableApproach(RDDTrainingApproach, JavaSparkContext)} for a master and file system.
   */
  static RDDTrainingApproach usableApproach(
      RDDTrainingApproach configured, String master, FileSystem defaultFs) {
    if (configured != RDDTrainingApproach.Export
        || ExportSupport.exportSupported(master, defaultFs)) {
      return configured;
    }
    LOG.info(
        "training.rdd-approach = export is not possible here, training with direct instead:"
            + " DL4J exports minibatches only with a local master or a default file system other"
            + " than file:, and this run has master {} with fs.defaultFS {} (direct sends the"
            + " minibatches through Spark every averaging round: slower per epoch). To keep export,"
            + " set spark.hadoop.fs.defaultFS to a file system all executors share (hdfs://,"
            + " s3a://); to silence this, set training.rdd-approach = direct.",
        master,
        defaultFs.getUri());
    return RDDTrainingApproach.Direct;
  }

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
