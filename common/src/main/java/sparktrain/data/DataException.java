package sparktrain.data;

import sparktrain.errors.UserInputException;

/**
 * Bad input data: a file or record that cannot be read as the configured format.
 *
 * <p>The message names the file (full URI or path), where in it the problem is (line, record or
 * byte offset) and what was expected versus found. The command line maps this exception to exit
 * code 2.
 */
public class DataException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message names the file, the location and the problem. */
  public DataException(String message) {
    super(message);
  }

  /** Creates an exception whose message names the file, the location and the problem. */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
