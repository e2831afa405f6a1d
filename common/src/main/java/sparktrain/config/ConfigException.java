package sparktrain.config;

import java.util.List;

/**
 * An invalid job configuration. Carries every problem found, each naming the key, where its value
 * came from (file:line or {@code --set key=value}) and what was expected; the message has one
 * problem per line.
 */
public class ConfigException extends RuntimeException {

  private final List<String> problems;

  /** A config error with the given problems (at least one). */
  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** A config error with one problem, caused by {@code cause}. */
  public ConfigException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** The problems, one line each. */
  public List<String> problems() {
    return problems;
  }
}
