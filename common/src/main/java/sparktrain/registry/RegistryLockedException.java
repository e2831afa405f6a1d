package sparktrain.registry;

import sparktrain.lease.LeaseHeldException;
import sparktrain.lease.LeaseInfo;

/**
 * Another process holds the registry's {@code LOCK} (a retrain, promotion or rollback is running),
 * or this process lost its lock. The message names the registry, the holder, since when it holds
 * the lock and when the lock expires, and how to break it ({@code --break-lock}).
 */
public class RegistryLockedException extends LeaseHeldException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the full user-facing message
   * @param holder the lock found in the registry, or null if it could not be read
   */
  public RegistryLockedException(String message, LeaseInfo holder) {
    super(message, holder);
  }
}
