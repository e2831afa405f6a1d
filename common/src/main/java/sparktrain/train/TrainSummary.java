package sparktrain.train;

import java.util.List;
import java.util.Map;
import sparktrain.provenance.RunStatus;

/**
 * Contents of {@code summary.json}, the first file a person or a scheduler reads after a run.
 *
 * @param status how the run ended
 * @param error the failure message when failed, else null
 * @param validationExamples examples of the validation split, or null without one
 * @param skippedRows bad input rows skipped ({@code data.bad-rows = skip}) by kind, e.g. {@code
 *     non-numeric}; empty when none were
 * @param validationMetrics the validation split's metrics after the last epoch; empty without one
 * @param resources the driver JVM's CPU seconds and peak heap during the run (see {@code RunWatch};
 *     with a local master the executors' work is in it too)
 * @param keras where an imported Keras model came from (source, sha256, keras_version, weights,
 *     weights_sha256); null for a model given as {@code model.layers}
 * @param earlyStopping with {@code training.early-stopping}: the metric, stopped_epoch (null when
 *     it ran every epoch), best_epoch, best, restored_best and the reason; else null
 * @param classWeights with {@code training.class-weights}: the rule and the weight of each class;
 *     else null
 */
public record TrainSummary(
    RunStatus status,
    String error,
    String workload,
    String runDir,
    int epochsRequested,
    int epochsCompleted,
    Integer resumedFromEpoch,
    List<Double> epochSeconds,
    double totalSeconds,
    long trainExamples,
    long testExamples,
    Map<String, Double> testMetrics,
    String modelPath,
    String checkpointPath,
    String metricsPath,
    String sparkMaster,
    int workers,
    Map<String, String> versions,
    Long validationExamples,
    Map<String, Long> skippedRows,
    Map<String, Double> validationMetrics,
    Map<String, Object> resources,
    Map<String, String> keras,
    Map<String, Object> earlyStopping,
    Map<String, Object> classWeights) {}
