package sparktrain.train;

import java.util.List;
import java.util.Map;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.config.JobConfig;
import sparktrain.provenance.Versions;

/**
 * Builds the metadata of a run's checkpoints and final model: counters, metrics and the typed
 * {@link CheckpointProvenance}.
 */
final class CheckpointMetadataFactory {
  private final JobConfig config;
  private final String runUri;
  private final String master;
  private final List<Map<String, Object>> inputs;
  private final int workers;
  private final long batchesPerEpoch;

  CheckpointMetadataFactory(
      JobConfig config,
      String runUri,
      String master,
      List<Map<String, Object>> inputs,
      int workers,
      long batchesPerEpoch) {
    this.config = config;
    this.runUri = runUri;
    this.master = master;
    this.inputs = List.copyOf(inputs);
    this.workers = workers;
    this.batchesPerEpoch = batchesPerEpoch;
  }

  /**
   * After {@code epoch} complete epochs (a checkpoint or the final model).
   *
   * @param metricsRow the epoch's metrics.jsonl row to keep in the manifest, or null
   */
  CheckpointMetadata afterEpoch(
      int epoch,
      long iterations,
      String parent,
      Map<String, Double> metrics,
      Map<?, ?> metricsRow) {
    return metadata(
        epoch, iterations, parent, metrics, provenance(splitSeed(epoch), null, metricsRow));
  }

  /** Within epoch {@code epochsDone + 1}, after {@code round} of its averaging rounds. */
  CheckpointMetadata withinEpoch(int epochsDone, int round, long iterationAtStart, String parent) {
    var training = config.training();
    long iterations =
        iterationAtStart
            + Math.min(batchesPerEpoch, (long) round * workers * training.averagingFrequency());
    CheckpointProvenance.RoundPosition position =
        new CheckpointProvenance.RoundPosition(
            epochsDone + 1,
            round,
            iterationAtStart,
            workers,
            training.averagingFrequency(),
            training.batchSizePerWorker());
    return metadata(
        epochsDone,
        iterations,
        parent,
        Map.of(),
        provenance(splitSeed(epochsDone + 1), position, null));
  }

  /**
   * The split seed of an epoch for the manifest (DL4J's averaging-round split generator is
   * re-seeded from it each epoch, see {@link Dl4jEngines#splitSeed}); none before epoch 1. The
   * network's own counters need no entry: they are part of the configuration saved in model.zip.
   */
  private Long splitSeed(int epoch) {
    return epoch > 0 ? Dl4jEngines.splitSeed(config.training().seed(), epoch) : null;
  }

  private CheckpointProvenance provenance(
      Long splitSeed, CheckpointProvenance.RoundPosition position, Map<?, ?> metricsRow) {
    return new CheckpointProvenance(
        config.fingerprint(),
        config.workload(),
        config.training().seed(),
        splitSeed,
        position,
        metricsRow,
        inputs,
        Versions.all(),
        master,
        CheckpointProvenance.CREATOR);
  }

  private CheckpointMetadata metadata(
      int epoch,
      long iterations,
      String parent,
      Map<String, Double> metrics,
      CheckpointProvenance provenance) {
    return new CheckpointMetadata(
        epoch, iterations, runUri, parent, metrics, config.render(), provenance.toMap());
  }
}
