package sparktrain.registry;

import sparktrain.errors.UserInputException;

/**
 * A registry request the user can fix: no registry at the path, an unknown or malformed version
 * name, no previous champion to roll back to, or a hand-edited control file ({@code CHAMPION},
 * {@code HISTORY}, {@code WATERMARK}) that cannot be read. The message names the registry and the
 * offending value or file.
 */
public class RegistryException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the registry and the offending value. */
  public RegistryException(String message) {
    super(message);
  }

  /** Creates the exception with a message naming the registry and the offending value. */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
