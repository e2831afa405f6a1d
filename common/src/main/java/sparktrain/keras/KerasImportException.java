package sparktrain.keras;

import sparktrain.errors.UserInputException;

/**
 * A Keras model file that sparktrain cannot import: unreadable, not a Sequential model, or with a
 * layer, activation or setting that has no sparktrain/DL4J counterpart. The message names the file
 * and, for a layer, its Keras name and class.
 */
public class KerasImportException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** A problem with the Keras file, described by {@code message}. */
  public KerasImportException(String message) {
    super(message);
  }

  /** A problem with the Keras file, described by {@code message}, caused by {@code cause}. */
  public KerasImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
