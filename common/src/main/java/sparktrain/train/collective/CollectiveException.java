package sparktrain.train.collective;

/**
 * A collective operation failed: timeout, a peer that failed or disconnected, mismatched calls
 * across ranks, or an interrupted thread. Unchecked; the message names the rank, the peer (and its
 * address) and what happened, e.g. {@code "rank 1: no data from peer 2 (127.0.0.1:40123) for 30
 * s"}.
 */
public final class CollectiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public CollectiveException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public CollectiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
