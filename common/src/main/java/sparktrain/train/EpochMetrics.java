package sparktrain.train;

import java.util.Map;

/**
 * One row of {@code metrics.jsonl}: what one epoch did.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean minibatch loss of the last averaging round, as DL4J reports it
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
    Map<String, Double> validation) {}
