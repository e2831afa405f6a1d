package sparktrain.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provenance {@code train} writes with every checkpoint and model ({@code manifest.json}'s
 * {@code provenance}), as a typed record with its keys named once. Required: the config
 * fingerprint, workload, seed, inputs, versions, master and creator. Optional: the epoch's split
 * seed (after epoch 0), the position within an epoch (round checkpoints), and the epoch's metrics
 * row (epoch checkpoints: a crash between publishing the checkpoint and appending the row to {@code
 * metrics.jsonl} loses nothing).
 */
public record CheckpointProvenance(
    String configFingerprint,
    String workload,
    long seed,
    Long splitSeed,
    RoundPosition position,
    Map<?, ?> metricsRow,
    List<Map<String, Object>> inputs,
    Map<String, String> versions,
    String sparkMaster,
    String createdBy) {

  /** {@link sparktrain.config.JobConfig#fingerprint()} of the run (required). */
  public static final String CONFIG_FINGERPRINT = "config_fingerprint";

  /** The config's workload name (required). */
  public static final String WORKLOAD = "workload";

  /** training.seed (required). */
  public static final String SEED = "seed";

  /** The epoch's averaging-round split seed (optional: none before epoch 1). */
  public static final String SPLIT_SEED = "split_seed";

  /** {@link RoundPosition#epochInProgress} (round checkpoints only). */
  public static final String EPOCH_IN_PROGRESS = "epoch_in_progress";

  /** {@link RoundPosition#roundsDone}; its presence marks a round checkpoint. */
  public static final String ROUNDS_DONE = "rounds_done";

  /** {@link RoundPosition#iterationAtEpochStart} (round checkpoints only). */
  public static final String ITERATION_AT_EPOCH_START = "iteration_at_epoch_start";

  /** {@link RoundPosition#workers} (round checkpoints only). */
  public static final String WORKERS = "workers";

  /** {@link RoundPosition#averagingFrequency} (round checkpoints only). */
  public static final String AVERAGING_FREQUENCY = "averaging_frequency";

  /** {@link RoundPosition#batchSizePerWorker} (round checkpoints only). */
  public static final String BATCH_SIZE_PER_WORKER = "batch_size_per_worker";

  /** The epoch's metrics.jsonl row (optional: epoch checkpoints). */
  public static final String METRICS_ROW = "metrics_row";

  /** Fingerprints of the input files (required). */
  public static final String INPUTS = "inputs";

  /** {@link sparktrain.provenance.Versions#all()} of the writer (required). */
  public static final String VERSIONS = "versions";

  /** The Spark master of the run (required). */
  public static final String SPARK_MASTER = "spark_master";

  /** The command that wrote the directory (required), e.g. {@link #CREATOR}. */
  public static final String CREATED_BY = "created_by";

  /** {@link #CREATED_BY} of a checkpoint or model of {@code train}. */
  public static final String CREATOR = "sparktrain train";

  /**
   * Where within an epoch a round checkpoint was taken, and how the epoch's rounds were dealt: a
   * resume skips the rounds only when they would be dealt the same way again.
   */
  public record RoundPosition(
      int epochInProgress,
      int roundsDone,
      long iterationAtEpochStart,
      int workers,
      int averagingFrequency,
      int batchSizePerWorker) {

    /** The position in a checkpoint's provenance, if it has one (checkpoints within an epoch). */
    public static Optional<RoundPosition> in(Map<String, Object> provenance) {
      if (!(provenance.get(ROUNDS_DONE) instanceof Number)) {
        return Optional.empty();
      }
      return Optional.of(
          new RoundPosition(
              (int) number(provenance, EPOCH_IN_PROGRESS, -1),
              (int) number(provenance, ROUNDS_DONE, 0),
              number(provenance, ITERATION_AT_EPOCH_START, -1),
              (int) number(provenance, WORKERS, -1),
              (int) number(provenance, AVERAGING_FREQUENCY, -1),
              (int) number(provenance, BATCH_SIZE_PER_WORKER, -1)));
    }
  }

  /** The entries of the manifest's provenance object, in a stable order. */
  public Map<String, Object> toMap() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(CONFIG_FINGERPRINT, configFingerprint);
    p.put(WORKLOAD, workload);
    p.put(SEED, seed);
    if (splitSeed != null) {
      p.put(SPLIT_SEED, splitSeed);
    }
    if (position != null) {
      p.put(EPOCH_IN_PROGRESS, position.epochInProgress());
      p.put(ROUNDS_DONE, position.roundsDone());
      p.put(ITERATION_AT_EPOCH_START, position.iterationAtEpochStart());
      p.put(WORKERS, position.workers());
      p.put(AVERAGING_FREQUENCY, position.averagingFrequency());
      p.put(BATCH_SIZE_PER_WORKER, position.batchSizePerWorker());
    }
    if (metricsRow != null) {
      p.put(METRICS_ROW, metricsRow);
    }
    p.put(INPUTS, inputs);
    p.put(VERSIONS, versions);
    p.put(SPARK_MASTER, sparkMaster);
    p.put(CREATED_BY, createdBy);
    return p;
  }

  /** The config fingerprint a checkpoint was written with, if it names one. */
  public static Optional<String> configFingerprintIn(Map<String, Object> provenance) {
    Object v = provenance.get(CONFIG_FINGERPRINT);
    return v == null ? Optional.empty() : Optional.of(v.toString());
  }

  /** The metrics row saved with an epoch checkpoint, if any. */
  public static Optional<Object> metricsRowIn(Map<String, Object> provenance) {
    return Optional.ofNullable(provenance.get(METRICS_ROW));
  }

  private static long number(Map<String, Object> provenance, String key, long otherwise) {
    return provenance.get(key) instanceof Number n ? n.longValue() : otherwise;
  }
}
