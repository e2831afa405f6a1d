package sparktrain.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Mutable progress of a {@code train} run: what its summary reports, also when it fails. */
final class RunProgress {
  final List<Double> epochSeconds = new ArrayList<>();
  int epochsCompleted;
  Integer resumedFrom;
  long trainExamples;
  long testExamples;
  int workers;
  Map<String, Double> testMetrics = Map.of();
  Map<String, Double> validationMetrics = Map.of();
  String checkpoint;
  Long validationExamples;
  Map<String, Long> skippedRows = Map.of();

  /** Early stopping's outcome for summary.json; null when it is off. */
  Map<String, Object> earlyStopping;

  /** The class weights used ({@code training.class-weights}); null when every class weighs 1. */
  Map<String, Object> classWeights;
}
