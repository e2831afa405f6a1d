package sparktrain.train;

import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.TrainingConfig;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster} with what resuming needs, without re-implementing
 * its training loop:
 *
 * <ul>
 *   <li>a split seed per epoch ({@link #beginEpoch}): DL4J deals an epoch's minibatches to
 *       averaging rounds with {@code rng.nextLong()} of one generator seeded once per master, so a
 *       resumed run (a new master) would deal its epochs differently than an uninterrupted one.
 *       With the generator re-seeded from (seed, epoch) before each epoch, epoch k is dealt the
 *       same either way;
 *   <li>a driver-side hook after each averaging round, called when the driver's network holds the
 *       averaged parameters and updater state (a consistent snapshot for a checkpoint);
 *   <li>skipping the first rounds of an epoch, to resume from a checkpoint taken within it.
 * </ul>
 */
public final class ResumableTrainingMaster extends ParameterAveragingTrainingMaster {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableTrainingMaster.class);

  private transient RoundListener roundListener;
  private int skipRounds;
  private transient boolean approachChecked;

  private ResumableTrainingMaster(ParameterAveragingTrainingMaster.Builder builder) {
    super(builder);
  }

  /** Creates the master from the {@code training} config section (see {@link TrainingMasters}). */
  public static ResumableTrainingMaster create(
      TrainingConfig training, int workers, String exportDir) {
    return new ResumableTrainingMaster(TrainingMasters.builder(training, workers, exportDir));
  }

  /**
   * Prepares the next fit as epoch {@code epoch}: re-seeds the split generator and sets how many
   * leading rounds to skip (rounds a resumed checkpoint already contains; 0 normally).
   */
  public void beginEpoch(long seed, int epoch, int skipRounds) {
    if (skipRounds < 0) {
      throw new IllegalArgumentException("skipRounds must be >= 0, got " + skipRounds);
    }
    this.rng = new Random(Dl4jEngines.splitSeed(seed, epoch));
    this.skipRounds = skipRounds;
  }

  /** Sets the listener called after each round (null: none). */
  public void setRoundListener(RoundListener listener) {
    this.roundListener = listener;
  }

  /**
   * Trains one epoch; the first call replaces the export approach by direct where DL4J would refuse
   * export (see {@link TrainingMasters#usableApproach(RDDTrainingApproach, JavaSparkContext)}).
   */
  @Override
  public void executeTraining(SparkDl4jMultiLayer network, JavaRDD<DataSet> trainingData) {
    if (!approachChecked) {
      rddTrainingApproach =
          TrainingMasters.usableApproach(rddTrainingApproach, network.getSparkContext());
      approachChecked = true;
    }
    super.executeTraining(network, trainingData);
  }

  @Override
  protected void doIteration(
      SparkDl4jMultiLayer network, JavaRDD<DataSet> split, int splitNum, int numSplits) {
    if (!skip(splitNum, numSplits)) {
      super.doIteration(network, split, splitNum, numSplits);
    }
  }

  @Override
  protected void doIterationPaths(
      SparkDl4jMultiLayer network,
      SparkComputationGraph graph,
      JavaRDD<String> split,
      int splitNum,
      int numSplits,
      int dataSetObjectNumExamples,
      DataSetLoader dsLoader,
      MultiDataSetLoader mdsLoader) {
    if (!skip(splitNum, numSplits)) {
      super.doIterationPaths(
          network,
          graph,
          split,
          splitNum,
          numSplits,
          dataSetObjectNumExamples,
          dsLoader,
          mdsLoader);
    }
  }

  private boolean skip(int splitNum, int numSplits) {
    if (splitNum > skipRounds) {
      return false;
    }
    LOG.info(
        "Skipping averaging round {} of {}: the resumed checkpoint already contains it",
        splitNum,
        numSplits);
    return true;
  }

  @Override
  protected void processResults(
      SparkDl4jMultiLayer network,
      SparkComputationGraph graph,
      JavaRDD<ParameterAveragingTrainingResult> results,
      int splitNum,
      int totalSplits) {
    super.processResults(network, graph, results, splitNum, totalSplits);
    RoundListener listener = roundListener;
    if (listener != null) {
      listener.afterRound(splitNum, totalSplits);
    }
  }
}
