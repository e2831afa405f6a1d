package sparktrain.retrain;

import java.util.List;
import java.util.Map;
import sparktrain.provenance.RetrainDecision;

/**
 * Contents of a retrain's {@code summary.json}: what a scheduler or a person reads to learn what
 * happened. {@code decision} tells the outcome apart: {@link RetrainDecision#PROMOTED} (the
 * challenger is the new champion), {@link RetrainDecision#KEPT_CHAMPION} (the challenger was
 * registered but the champion stays), {@link RetrainDecision#NO_NEW_DATA} (nothing to train on;
 * nothing was changed) and {@link RetrainDecision#FAILED}.
 *
 * @param decision one of the four decisions above
 * @param reason one sentence with the numbers behind the decision
 * @param error the failure message when failed, else null
 * @param registry the model's registry ({@code REG/NAME}, qualified)
 * @param metric the deciding metric ({@code retrain.metric})
 * @param minImprovement {@code retrain.min-improvement}
 * @param improvement the metric's improvement of the challenger over the champion (positive =
 *     better), null if not evaluated
 * @param guardRailViolations the guard rails the challenger broke
 * @param championVersion the champion when the retrain started
 * @param challengerVersion the version the challenger was registered as, or null
 * @param championAfter the champion when the retrain ended
 * @param championMetrics the champion's test metrics (same data as the challenger's)
 * @param challengerMetrics the challenger's test metrics
 * @param newData the training input considered new (its identity {@code key}, files, records)
 * @param replaySources the recorded inputs the replay sample was drawn from
 * @param trainExamples examples trained on (new data plus replay sample), 0 if no training
 * @param testExamples examples both models were evaluated on
 * @param normalizer {@code retrain.normalizer}: whether the challenger kept the champion's
 *     normalizer ({@code keep}) or fitted its own ({@code refit})
 * @param trainRunDir the training run's directory (its own summary, metrics, checkpoints, model)
 * @param outputDir this retrain's output directory
 * @param totalSeconds wall time of the retrain
 */
public record RetrainSummary(
    RetrainDecision decision,
    String reason,
    String error,
    String registry,
    String metric,
    double minImprovement,
    Double improvement,
    List<String> guardRailViolations,
    String championVersion,
    String challengerVersion,
    String championAfter,
    Map<String, Double> championMetrics,
    Map<String, Double> challengerMetrics,
    Map<String, Object> newData,
    List<Map<String, Object>> replaySources,
    long trainExamples,
    long testExamples,
    String normalizer,
    String trainRunDir,
    String outputDir,
    double totalSeconds,
    String sparkMaster,
    Map<String, String> versions) {}
