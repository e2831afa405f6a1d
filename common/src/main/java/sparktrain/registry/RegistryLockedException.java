package sparktrain.registry;

import java.io.IOException;

/**
 * Another process holds the registry's {@code LOCK} (a retrain, promotion or rollback is running),
 * or this process lost its lock. The message names the registry, the holder, since when it holds
 * the lock and when the lock expires, and how to break it ({@code --break-lock}).
 */
public class RegistryLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient LockInfo holder;

  /**
   * Creates the exception.
   *
   * @param message the full user-facing message
   * @param holder the lock found in the registry, or null if it could not be read
   */
  public RegistryLockedException(String message, LockInfo holder) {
    super(message);
    this.holder = holder;
  }

  /** The lock found in the registry, or null if it could not be read. */
  public LockInfo holder() {
    return holder;
  }
}
