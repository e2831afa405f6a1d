package sparktrain.config;

/** The {@code checkpoint} section; {@code dir} is empty for {@code <run directory>/checkpoints}. */
public record CheckpointConfig(String dir, int everyNEpochs, int keepLast) {}
