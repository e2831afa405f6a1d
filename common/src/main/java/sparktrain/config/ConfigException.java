package sparktrain.config;

import java.util.List;
import sparktrain.errors.UserInputException;

/**
 * An invalid job configuration. Carries every problem found, each naming the key, where its value
 * came from (file:line or {@code --set key=value}) and what was expected; the message has one
 * problem per line.
 */
public class ConfigException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** A config error with the given problems (at least one). */
  public ConfigException(List<String> problems) {
    super(problems);
  }

  /** A config error with one problem, caused by {@code cause}. */
  public ConfigException(String problem, Throwable cause) {
    super(problem, cause);
  }
}
