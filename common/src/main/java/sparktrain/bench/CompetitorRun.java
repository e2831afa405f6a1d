package sparktrain.bench;

import java.util.List;
import java.util.Map;

/**
 * What a competitor measured in its timed run.
 *
 * @param epochs one entry per epoch, in order
 * @param setupSeconds wall seconds before the first epoch (reading and preparing the data, building
 *     the network); not counted in the epochs
 * @param trainExamples training examples in one epoch
 * @param settings how it was configured (batch size, workers, ...), for the breakdown
 * @param details competitor-specific measurements for the breakdown (phases, Spark task metrics)
 */
public record CompetitorRun(
    List<EpochRecord> epochs,
    double setupSeconds,
    long trainExamples,
    Map<String, Object> settings,
    Map<String, Object> details) {

  /**
   * One epoch.
   *
   * @param seconds wall seconds of the whole epoch: training, test evaluation and whatever else the
   *     competitor does per epoch (sparktrain: checkpoint)
   * @param fitSeconds wall seconds of training alone
   * @param testAccuracy accuracy on the test split after this epoch
   * @param examplesProcessed training examples processed by the fit (examples x passes over them)
   */
  public record EpochRecord(
      double seconds, double fitSeconds, double testAccuracy, double examplesProcessed) {}
}
