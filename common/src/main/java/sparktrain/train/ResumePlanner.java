package sparktrain.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.config.JobConfig;
import sparktrain.config.TrainingConfig;

/**
 * Decides how a {@code train} run starts in its run directory: fresh, over an earlier attempt of
 * the same config that died before its first checkpoint, or resumed from the newest good checkpoint
 * (and how many rounds of its epoch that checkpoint already holds). Refuses to mix runs of
 * different configs unless forced.
 */
final class ResumePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(ResumePlanner.class);

  private final JobConfig config;
  private final RunDirectory run;
  private final RunRecords records;
  private final boolean resume;
  private final boolean force;

  ResumePlanner(
      JobConfig config, RunDirectory run, RunRecords records, boolean resume, boolean force) {
    this.config = config;
    this.run = run;
    this.records = records;
    this.resume = resume;
    this.force = force;
  }

  /**
   * Prepares the run directory and returns the checkpoint to resume from, if any.
   *
   * @throws RunDirectoryException when {@code --resume} finds nothing to resume, or the directory
   *     holds a run that is not this config's
   */
  Optional<LoadedCheckpoint> prepare(CheckpointStore store) {
    try {
      if (!run.existsNonEmpty()) {
        if (resume) {
          throw new RunDirectoryException(
              "--resume: run directory " + run.uri() + " does not exist or is empty");
        }
        run.create();
        run.writeText("config.conf", config.render());
        return Optional.empty();
      }
      Optional<LoadedCheckpoint> latest = store.loadLatest();
      if (latest.isEmpty()) {
        return startOver();
      }
      return Optional.of(resumeFrom(store, latest.get()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare run directory " + run.uri(), e);
    }
  }

  private Optional<LoadedCheckpoint> startOver() throws IOException {
    if (resume) {
      throw new RunDirectoryException(
          "--resume: run directory " + run.uri() + " holds no complete checkpoint");
    }
    if (!force && run.readText("config.conf").equals(config.render())) {
      // An earlier attempt of this very config died before its first checkpoint.
      LOG.warn(
          "Run directory {} holds no checkpoint of an earlier attempt of this config:"
              + " starting over",
          run.uri());
      records.keepMetricsUpTo(0, null);
      return Optional.empty();
    }
    if (!force) {
      throw new RunDirectoryException(
          "run directory "
              + run.uri()
              + " exists and holds no checkpoint to resume from; choose another --output,"
              + " or pass --force to start over in it");
    }
    records.keepMetricsUpTo(0, null);
    run.writeText("config.conf", config.render());
    return Optional.empty();
  }

  private LoadedCheckpoint resumeFrom(CheckpointStore store, LoadedCheckpoint latest)
      throws IOException {
    Optional<String> named = store.latestName();
    if (named.isPresent() && !named.get().equals(latest.name())) {
      LOG.warn(
          "Checkpoint {} named by LATEST failed verification or is missing (see the warning"
              + " above); resuming from the previous good one, {}",
          named.get(),
          latest.uri());
    }
    String fp = CheckpointProvenance.configFingerprintIn(latest.provenance()).orElse(null);
    if (!config.fingerprint().equals(fp) && !force) {
      throw new RunDirectoryException(
          "run directory "
              + run.uri()
              + " was written by a different model/training config (fingerprint "
              + fp
              + ", this config "
              + config.fingerprint()
              + "); use another --output, or --force to resume anyway");
    }
    if (!config.fingerprint().equals(fp)) {
      LOG.warn(
          "--force: resuming {} from a checkpoint of a different model/training config", run.uri());
    }
    LOG.info(
        "Resuming {} from checkpoint {} ({} epochs done{})",
        run.uri(),
        latest.name(),
        latest.manifest().epoch(),
        CheckpointStore.roundOf(latest.name()) > 0
            ? " and " + CheckpointStore.roundOf(latest.name()) + " rounds of the next"
            : "");
    run.writeText("config.conf", config.render());
    return latest;
  }

  /**
   * Rounds of the epoch in progress that a checkpoint taken within it already contains; 0 (with a
   * warning) when the rounds would be dealt differently now, so that the epoch restarts from that
   * checkpoint's parameters instead.
   */
  static int roundsToSkip(LoadedCheckpoint ck, TrainingConfig training, int workers) {
    int round = CheckpointStore.roundOf(ck.name());
    if (round == 0) {
      return 0;
    }
    Optional<CheckpointProvenance.RoundPosition> then =
        CheckpointProvenance.RoundPosition.in(ck.provenance());
    boolean same =
        then.isPresent()
            && then.get().workers() == workers
            && then.get().averagingFrequency() == training.averagingFrequency()
            && then.get().batchSizePerWorker() == training.batchSizePerWorker();
    if (!same) {
      LOG.warn(
          "Checkpoint {} was taken within epoch {} with {}; now workers={},"
              + " averaging-frequency={}, batch-size-per-worker={}: its rounds would be dealt"
              + " differently, so epoch {} restarts from its start with the checkpoint's"
              + " parameters",
          ck.name(),
          ck.epoch() + 1,
          then.map(Object::toString).orElse("an unknown position"),
          workers,
          training.averagingFrequency(),
          training.batchSizePerWorker(),
          ck.epoch() + 1);
      return 0;
    }
    return round;
  }
}
