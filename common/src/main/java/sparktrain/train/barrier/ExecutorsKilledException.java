package sparktrain.train.barrier;

/**
 * Training could not start because the cluster manager kept killing the executors for exceeding
 * their containers' memory: a failure of the run's sizing (exit 1), not of its config file. The
 * message carries the first kill's explanation: what was exceeded and which setting to raise.
 */
public final class ExecutorsKilledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code message} says how many executors were killed and what to raise. */
  public ExecutorsKilledException(String message) {
    super(message);
  }
}
