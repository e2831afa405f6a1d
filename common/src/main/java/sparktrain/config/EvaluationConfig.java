package sparktrain.config;

/**
 * The {@code evaluation} section: how models are scored.
 *
 * @param batchSize examples per scoring minibatch ({@code evaluation.batch-size})
 */
public record EvaluationConfig(int batchSize) {
  /** {@code evaluation.batch-size} in reference.conf. */
  public static final int DEFAULT_BATCH_SIZE = 2048;

  /** The section as reference.conf has it. */
  public static final EvaluationConfig DEFAULTS = new EvaluationConfig(DEFAULT_BATCH_SIZE);

  /** Checks the size. */
  public EvaluationConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("evaluation.batch-size must be >= 1, got " + batchSize);
    }
  }
}
