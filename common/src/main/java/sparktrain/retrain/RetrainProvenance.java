package sparktrain.retrain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sparktrain.train.CheckpointProvenance;

/**
 * What {@code retrain} adds to its challenger's provenance (on top of the training run's {@link
 * CheckpointProvenance}), with its keys named once. Required when read back: the champion it was
 * retrained from. Optional: the new data, the replay sample (fraction 0 and no sources when absent)
 * and the training run's directory.
 *
 * @param retrainedFrom the champion version the challenger continued
 * @param newData the training input considered new (see {@code TrainingInputs})
 * @param replayFraction {@code retrain.replay-fraction}
 * @param replaySources the identity keys of the recorded inputs the replay sample was drawn from
 * @param trainRun the training run's directory, or null
 */
public record RetrainProvenance(
    String retrainedFrom,
    Map<String, Object> newData,
    double replayFraction,
    List<String> replaySources,
    String trainRun) {

  /** {@link CheckpointProvenance#CREATED_BY} of a retrained version. */
  public static final String CREATOR = "sparktrain retrain";

  /** Key of {@link #retrainedFrom}. */
  public static final String RETRAINED_FROM = "retrained_from";

  /** Key of {@link #newData}. */
  public static final String NEW_DATA = "new_data";

  /** Key of the replay object, which holds {@link #REPLAY_FRACTION} and {@link #REPLAY_SOURCES}. */
  public static final String REPLAY = "replay";

  /** Key of {@link #replayFraction} in the replay object. */
  public static final String REPLAY_FRACTION = "fraction";

  /** Key of {@link #replaySources} in the replay object. */
  public static final String REPLAY_SOURCES = "sources";

  /** Key of {@link #trainRun}. */
  public static final String TRAIN_RUN = "train_run";

  /** Defaults the optional fields. */
  public RetrainProvenance {
    newData = newData == null ? Map.of() : newData;
    replaySources = replaySources == null ? List.of() : List.copyOf(replaySources);
  }

  /** {@code trained} (the training run's provenance) with this retrain's entries. */
  public Map<String, Object> addTo(Map<String, Object> trained) {
    Map<String, Object> p = new LinkedHashMap<>(trained);
    p.put(CheckpointProvenance.CREATED_BY, CREATOR);
    p.put(RETRAINED_FROM, retrainedFrom);
    p.put(NEW_DATA, newData);
    Map<String, Object> replay = new LinkedHashMap<>();
    replay.put(REPLAY_FRACTION, replayFraction);
    replay.put(REPLAY_SOURCES, replaySources);
    p.put(REPLAY, replay);
    p.put(TRAIN_RUN, trainRun);
    return p;
  }

  /** The retrain entries of a version's provenance; empty if it was not made by a retrain. */
  @SuppressWarnings("unchecked")
  public static Optional<RetrainProvenance> in(Map<String, Object> provenance) {
    Object from = provenance.get(RETRAINED_FROM);
    if (from == null) {
      return Optional.empty();
    }
    Map<?, ?> replay = provenance.get(REPLAY) instanceof Map<?, ?> m ? m : Map.of();
    Object trainRun = provenance.get(TRAIN_RUN);
    return Optional.of(
        new RetrainProvenance(
            from.toString(),
            provenance.get(NEW_DATA) instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of(),
            replay.get(REPLAY_FRACTION) instanceof Number f ? f.doubleValue() : 0.0,
            replay.get(REPLAY_SOURCES) instanceof List<?> s
                ? s.stream().map(String::valueOf).toList()
                : List.of(),
            trainRun == null ? null : trainRun.toString()));
  }
}
