package sparktrain.errors;

/**
 * A job argument the user must fix ({@code --model} names nothing loadable, {@code --output}
 * already exists); the message names the argument and the offending value. The command line maps it
 * to exit code 2.
 */
public class JobArgumentException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} names the argument and the value. */
  public JobArgumentException(String message) {
    super(message);
  }

  /** Creates the exception with its cause; {@code message} names the argument and the value. */
  public JobArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
