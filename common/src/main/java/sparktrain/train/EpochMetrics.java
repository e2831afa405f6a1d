package sparktrain.train;

import java.util.Map;

/**
 * One row of {@code metrics.jsonl}: what one epoch did.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss the epoch's training loss as the engine reports it (barrier: mean over every
 *     minibatch of the epoch; dl4j: mean over workers of the last round's last minibatch)
 * @param test test-split metrics (e.g. accuracy, f1, loss); empty when not evaluated this epoch
 *     (with a validation split, the test split is evaluated after the last epoch only)
 * @param fitSeconds wall seconds of the parameter-averaged fit
 * @param evalSeconds wall seconds of the distributed evaluation
 * @param epochSeconds wall seconds of the whole epoch (fit, evaluation, checkpoint)
 * @param examplesPerSecond training examples per second of fit time
 * @param iterations minibatches fitted so far, over all workers and epochs
 * @param checkpoint name of the checkpoint written after this epoch, or null
 * @param validation validation-split metrics; empty without a validation split or when not
 *     evaluated this epoch
 * @param rounds the averaging rounds' timings, when the engine measures them (barrier), else null
 * @param earlyStopping the early-stopping state after this epoch (metric, best, best_epoch, wait,
 *     stopped), restored from here on resume; null when early stopping is off
 * @param learningRate with {@code training.plateau}: the learning rate this epoch trained with;
 *     else null
 * @param plateau the plateau schedule's state after this epoch (metric, best, wait, cooldown_left,
 *     next_learning_rate), restored from here on resume; null when it is off
 * @param checkpointSeconds wall seconds the epoch spent on checkpoints: the snapshot of the network
 *     and the wait for the previous epoch's checkpoint, written in the background (0 without one)
 * @param workerFitSeconds of {@code fitSeconds}, the sum over rounds of the slowest worker's time
 *     fitting its minibatches, when the engine measures rounds (barrier), else null
 * @param averagingSeconds of {@code fitSeconds}, the sum over rounds of worker 0's time in the
 *     allreduce (including waits for slower workers), when measured, else null
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    Map<String, Double> test,
    double fitSeconds,
    double evalSeconds,
    double epochSeconds,
    double examplesPerSecond,
    long iterations,
    String checkpoint,
    Map<String, Double> validation,
    RoundStats rounds,
    Map<String, Object> earlyStopping,
    Double learningRate,
    Map<String, Object> plateau,
    double checkpointSeconds,
    Double workerFitSeconds,
    Double averagingSeconds) {

  /** This row with {@code seconds} as its {@code checkpointSeconds}. */
  EpochMetrics withCheckpointSeconds(double seconds) {
    return new EpochMetrics(
        epoch,
        trainLoss,
        test,
        fitSeconds,
        evalSeconds,
        epochSeconds,
        examplesPerSecond,
        iterations,
        checkpoint,
        validation,
        rounds,
        earlyStopping,
        learningRate,
        plateau,
        Math.round(seconds * 1e4) / 1e4,
        workerFitSeconds,
        averagingSeconds);
  }

  /** The sum of {@code millis}, in seconds rounded to the millisecond; null when empty. */
  static Double totalSeconds(java.util.List<Double> millis) {
    if (millis.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (double ms : millis) {
      sum += ms;
    }
    return Math.round(sum) / 1000.0;
  }

  /**
   * Timings of an epoch's averaging rounds.
   *
   * @param count rounds run
   * @param stages Spark stages they took
   * @param fitMsMedian median over rounds of the slowest worker's fitting time
   * @param averagingMsMedian median over rounds of worker 0's time in the allreduce (including
   *     waiting for slower workers)
   * @param averagingMsP95 95th percentile of the same
   */
  public record RoundStats(
      int count, int stages, double fitMsMedian, double averagingMsMedian, double averagingMsP95) {

    /** The stats of an epoch's fit, or null when the engine did not time its rounds. */
    public static RoundStats of(EpochFit fit) {
      if (fit.averageMillis().isEmpty()) {
        return null;
      }
      return new RoundStats(
          fit.rounds(),
          fit.stages(),
          round3(EpochFit.median(fit.fitMillis())),
          round3(EpochFit.median(fit.averageMillis())),
          round3(EpochFit.quantile(fit.averageMillis(), 0.95)));
    }

    private static double round3(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }
}
