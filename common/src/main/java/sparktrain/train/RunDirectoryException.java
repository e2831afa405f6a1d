package sparktrain.train;

import sparktrain.errors.UserInputException;

/**
 * The run directory cannot be used as asked (exists with another config, already complete...): a
 * usage error, not a failure of training.
 */
public final class RunDirectoryException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the directory and what to do. */
  public RunDirectoryException(String message) {
    super(message);
  }
}
