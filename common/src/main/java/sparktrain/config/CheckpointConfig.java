package sparktrain.config;

/**
 * The {@code checkpoint} section; {@code dir} is empty for {@code <run directory>/checkpoints}.
 *
 * @param everyNEpochs checkpoint after every N-th epoch (the last one always)
 * @param keepLast how many of the newest checkpoints retention keeps
 * @param keepBest whether retention also keeps the best checkpoint by its test metric
 * @param everyNRounds also checkpoint within an epoch after every N-th averaging round (0 = off)
 */
public record CheckpointConfig(
    String dir, int everyNEpochs, int keepLast, boolean keepBest, int everyNRounds) {

  /** A section with the defaults of the newer keys: keep-best on, no checkpoints within epochs. */
  public CheckpointConfig(String dir, int everyNEpochs, int keepLast) {
    this(dir, everyNEpochs, keepLast, true, 0);
  }
}
