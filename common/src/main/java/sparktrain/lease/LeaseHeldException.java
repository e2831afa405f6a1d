package sparktrain.lease;

import java.io.IOException;

/**
 * Another process holds a {@link Lease} (a registry's lock, an output directory's lease), or this
 * process lost its own. The message names what is leased, the holder, since when it holds the
 * lease, when the lease expires, and how to take over once the holder is gone. Exit code 3.
 */
public class LeaseHeldException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient LeaseInfo holder;

  /**
   * Creates the exception.
   *
   * @param message the full user-facing message
   * @param holder the lease found, or null if it could not be read
   */
  public LeaseHeldException(String message, LeaseInfo holder) {
    super(message);
    this.holder = holder;
  }

  /** The lease found, or null if it could not be read. */
  public LeaseInfo holder() {
    return holder;
  }
}
