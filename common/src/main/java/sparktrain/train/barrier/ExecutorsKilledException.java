package sparktrain.train.barrier;

/**
 * Training could not start because the cluster manager kept killing the executors for exceeding
 * their containers' memory: a failure of the run's sizing (exit 1), not of its config file. The
 * message carries the first kill's explanation: what was exceeded and which setting to raise.
 */
public final class ExecutorsKilledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int killed;

  /** {@code killed} executors lost to their memory limit; {@code message} says what to raise. */
  public ExecutorsKilledException(int killed, String message) {
    super(message);
    this.killed = killed;
  }

  /** How many executors were killed before training gave up waiting for its task slots. */
  public int killed() {
    return killed;
  }
}
