package sparktrain.spark;

import java.util.List;
import sparktrain.errors.UserInputException;

/**
 * A Spark argument the user must fix (a master URL Spark cannot parse, a deploy mode or a setting
 * value Spark rejects), found before the SparkSession is created. Each problem names the argument
 * ({@code --master} or the {@code spark.*} key), the offending value and the accepted forms; the
 * message has one problem per line. The command line maps it to exit code 2.
 */
public class SparkArgumentException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** An error with the given problems (at least one), one per line of the message. */
  public SparkArgumentException(List<String> problems) {
    super(problems);
  }
}
