package sparktrain.errors;

import java.util.List;

/**
 * The base of every error the user can fix without a code change: a config key, an input file or
 * record, a command-line argument, a Spark argument, a run directory, a registry request or a model
 * directory that is not as expected. The message is for the user: it names the key, file, column or
 * argument, the offending value and what was expected, one problem per line.
 *
 * <p>The command line maps this type, and any failure caused by one (Spark wraps executors'
 * exceptions), to exit code 2 and prints the message without a stack trace. A new kind of user
 * error extends this class; nothing else has to be told about it.
 */
public abstract class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** A user error with one problem, described by {@code message}. */
  protected UserInputException(String message) {
    this(message, null);
  }

  /** A user error with one problem, described by {@code message}, caused by {@code cause}. */
  protected UserInputException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(String.valueOf(message));
  }

  /** A user error with the given problems (at least one); the message has one per line. */
  protected UserInputException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, one line each (a single-problem error has one). */
  public List<String> problems() {
    return problems;
  }
}
