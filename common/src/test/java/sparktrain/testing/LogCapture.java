package sparktrain.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the WARN and ERROR (or, with {@link #open(Level)}, other) messages logged under {@code
 * sparktrain} while open (the real Log4j 2 backend, an extra appender on the {@code sparktrain}
 * logger).
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final LoggerConfig logger;

  private LogCapture(LoggerConfig logger) {
    super("log-capture", null, null, true, Property.EMPTY_ARRAY);
    this.logger = logger;
  }

  /** Starts capturing WARN and above. */
  public static LogCapture open() {
    return open(Level.WARN);
  }

  /** Starts capturing {@code level} and above. */
  public static LogCapture open(Level level) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    LoggerConfig logger = config.getLoggerConfig("sparktrain");
    LogCapture capture = new LogCapture(logger);
    capture.start();
    logger.addAppender(capture, level, null);
    ctx.updateLoggers();
    return capture;
  }

  @Override
  public void append(LogEvent event) {
    warnings.add(event.getMessage().getFormattedMessage());
  }

  /** The captured messages so far (WARN and ERROR unless opened with another level), formatted. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  @Override
  public void close() {
    logger.removeAppender(getName());
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    stop();
  }
}
