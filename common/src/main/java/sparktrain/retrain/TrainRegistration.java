package sparktrain.retrain;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.JobConfig;
import sparktrain.lease.Lease;
import sparktrain.lease.LeaseInfo;
import sparktrain.provenance.RetrainDecision;
import sparktrain.registry.DecisionInfo;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegisteredVersion;
import sparktrain.registry.RegistryLockedException;
import sparktrain.train.TrainSummary;

/**
 * {@code train --register REG/NAME}: registers a finished run's final model (with the same extra
 * files as its model directory) under the registry's lock. The first version of a model becomes its
 * champion, and its training input is recorded in the registry's watermark so that a {@code
 * retrain} on the same data is a no-op; later versions are only registered.
 */
public final class TrainRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(TrainRegistration.class);

  private TrainRegistration() {}

  /**
   * Opens the registry and fails fast, before any training, if its name is invalid or another
   * process holds an unexpired lock.
   *
   * @throws sparktrain.registry.RegistryException if {@code registryUri} is not {@code REG/NAME}
   * @throws RegistryLockedException if the registry is locked right now
   */
  public static ModelRegistry check(String registryUri, Configuration conf) throws IOException {
    ModelRegistry registry = ModelRegistry.open(registryUri, conf);
    Optional<LeaseInfo> held = registry.lock().current();
    if (held.isPresent() && !held.get().isExpiredAt(Instant.now())) {
      throw new RegistryLockedException(
          "Model registry "
              + registry.uri()
              + " is locked by "
              + held.get().describe()
              + "; train --register would not be able to register its model. Try again when it is"
              + " released.",
          held.get());
    }
    return registry;
  }

  /**
   * Registers the model of a successful run.
   *
   * @param config the run's config (its training split is recorded for a first version)
   * @param run the run's summary (its {@code model_path} is registered)
   * @throws RegistryLockedException if another process holds the registry's lock
   */
  public static RegisteredVersion register(
      String registryUri, Configuration conf, JobConfig config, TrainSummary run)
      throws IOException {
    ModelRegistry registry = ModelRegistry.open(registryUri, conf);
    LoadedCheckpoint model = ModelDirectory.read(run.modelPath(), conf);
    Map<String, byte[]> extras = new LinkedHashMap<>();
    for (String name : model.extraFileNames()) {
      extras.put(name, model.extraFile(name));
    }
    CheckpointMetadata meta =
        new CheckpointMetadata(
            model.epoch(),
            model.iteration(),
            model.runId(),
            model.parent(),
            model.metrics(),
            model.resolvedConfig(),
            model.provenance());
    String purpose = "train --register by " + System.getProperty("user.name", "unknown");
    try (Lease.Handle handle = registry.lock().tryAcquire(config.retrain().lockTtl(), purpose)) {
      Optional<String> champion = registry.champion();
      RegisteredVersion registered;
      if (champion.isPresent()) {
        DecisionInfo decision =
            new DecisionInfo(
                RetrainDecision.REGISTERED.value(),
                "registered by train --register; champion " + champion.get() + " kept");
        registered = registry.register(model.network(), meta, extras, decision.toMap());
      } else {
        DecisionInfo decision =
            new DecisionInfo(
                RetrainDecision.PROMOTED.value(),
                "first version of the model, registered by train --register");
        registered =
            registry.registerAndPromoteIfNoChampion(
                model.network(), meta, extras, decision.toMap());
        if (registered.champion() && registry.lastRetrainWatermark().isEmpty()) {
          handle.verifyHeld();
          registry.setWatermark(
              TrainingInputs.consume(
                  Optional.empty(),
                  TrainingInputs.trainSplit(config.data(), conf),
                  registered.version(),
                  true));
        }
      }
      LOG.info(
          "Registered {} as {} of {}{}",
          run.modelPath(),
          registered.version(),
          registry.uri(),
          registered.champion() ? " (champion)" : " (champion " + champion.orElse("?") + " kept)");
      return registered;
    }
  }
}
