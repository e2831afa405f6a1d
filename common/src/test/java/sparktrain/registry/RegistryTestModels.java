package sparktrain.registry;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.TinyNetworks;

/** Small real networks and metadata for registry tests. */
final class RegistryTestModels {
  private RegistryTestModels() {}

  /** The checkpoint tests' 4-3-2 Adam network, fitted a few steps (non-zero updater state). */
  static MultiLayerNetwork trained(long seed) {
    return TinyNetworks.trained(seed);
  }

  /** Metadata of a model trained in run {@code runId}, continuing {@code parent}. */
  static CheckpointMetadata meta(String runId, String parent, double accuracy) {
    return new CheckpointMetadata(
        2,
        20L,
        runId,
        parent,
        Map.of("accuracy", accuracy, "loss", 1 - accuracy),
        "training.epochs = 2\n",
        Map.of("inputs", java.util.List.of(Map.of("path", "/data/dt=2026-11-24", "bytes", 10))));
  }
}
