package sparktrain.report;

import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The full driver log of one command: every event the log4j2 configuration lets through (sparktrain
 * and Spark at INFO and above with the shipped {@code conf/log4j2.properties}), stack traces
 * included, in a file, so that the console can stay short (see {@code conf/log4j2.properties}: the
 * console shows sparktrain's progress and one line per warning of the others).
 *
 * <p>The file starts in the temp directory ({@code sparktrain-<command>-<time>-*.log}); once the
 * job knows its run directory ({@link #useDirectory}, called by the command or when a training run
 * first writes into its run directory) it moves to {@code <dir>/logs/driver.log} and goes on there
 * (on a file system other than the local one it stays in the temp file and is copied there when the
 * command ends). A log that never found a directory is deleted after a success (or when nothing was
 * logged, e.g. after a usage error) and kept after a failure, whose message names it.
 *
 * <p>One log is active at a time (the command line's); without one (tests calling jobs directly,
 * another logging backend) every method is a no-op.
 */
public final class DriverLog implements AutoCloseable {
  /** Where the log goes inside a run directory. */
  public static final String FILE = "logs/driver.log";

  /**
   * Marks events for the log file only (the shipped console configuration drops them), e.g. the
   * stack trace of an error whose message the command prints itself.
   */
  public static final Marker FILE_ONLY = MarkerFactory.getMarker("FILE_ONLY");

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%t] %c: %m%n%ex";

  private static volatile DriverLog active;

  private final FileAppender appender;
  private final LoggerContext context;
  private final PropertyChangeListener reattach;
  private Path temp;
  private org.apache.hadoop.fs.Path target;
  private Configuration targetConf;
  private boolean local;
  private boolean closed;

  private DriverLog(FileAppender appender, LoggerContext context, Path temp) {
    this.appender = appender;
    this.context = context;
    this.temp = temp;
    this.reattach =
        event -> {
          if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())) {
            attach(context.getConfiguration());
          }
        };
  }

  /**
   * Starts the log of a command, in a new temp file, and makes it the active one.
   *
   * @param command the command's name, for the file name and the first line
   * @param args the command line, for the first line
   * @return the log, or empty when the logging backend is not log4j2's (nothing is written then)
   */
  public static synchronized Optional<DriverLog> start(String command, String... args) {
    if (active != null) {
      active.close(false);
    }
    LoggerContext context;
    try {
      if (!(LogManager.getContext(false) instanceof LoggerContext c)) {
        return Optional.empty();
      }
      context = c;
    } catch (LinkageError e) {
      return Optional.empty();
    }
    Path temp;
    try {
      Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
      Files.createDirectories(dir);
      String name = command.replaceAll("[^A-Za-z0-9_.-]", "_");
      temp =
          Files.createTempFile(
              dir, "sparktrain-" + name + "-" + LocalDateTime.now().format(STAMP) + "-", ".log");
    } catch (IOException e) {
      return Optional.empty(); // no log file rather than no command
    }
    FileAppender appender =
        new FileAppender(
            PatternLayout.newBuilder()
                .withPattern(PATTERN)
                .withCharset(StandardCharsets.UTF_8)
                .build());
    try {
      appender.open(temp, false);
    } catch (IOException e) {
      return Optional.empty();
    }
    appender.start();
    appender.writeLine(
        "==== sparktrain "
            + String.join(" ", args)
            + " (started "
            + LocalDateTime.now()
            + ", pid "
            + ProcessHandle.current().pid()
            + ")");
    DriverLog log = new DriverLog(appender, context, temp);
    log.attach(context.getConfiguration());
    context.addPropertyChangeListener(log.reattach);
    active = log;
    return Optional.of(log);
  }

  /** The active log, if any. */
  public static Optional<DriverLog> active() {
    return Optional.ofNullable(active);
  }

  /**
   * Moves the active log into {@code dir}/{@value #FILE} (the first directory named wins; later
   * calls are ignored). No-op without an active log.
   *
   * @param dir a run or output directory on any Hadoop file system; it is created if missing
   */
  public static void useDirectory(org.apache.hadoop.fs.Path dir, Configuration conf) {
    useFile(new org.apache.hadoop.fs.Path(dir, FILE), conf);
  }

  /**
   * Like {@link #useDirectory}, with the file's path given (e.g. {@code _logs/driver.log} inside a
   * Parquet output, where Spark's readers skip names starting with {@code _}).
   */
  public static void useFile(org.apache.hadoop.fs.Path file, Configuration conf) {
    DriverLog log = active;
    if (log != null) {
      log.moveTo(file, conf);
    }
  }

  /** Adds the appender to the root and to every logger that does not pass events to its parent. */
  private void attach(org.apache.logging.log4j.core.config.Configuration config) {
    if (config.getAppender(appender.getName()) == null) {
      config.addAppender(appender);
    }
    LoggerConfig root = config.getRootLogger();
    addTo(root);
    for (LoggerConfig lc : config.getLoggers().values()) {
      if (lc != root && !lc.isAdditive()) {
        addTo(lc);
      }
    }
    context.updateLoggers();
  }

  private void addTo(LoggerConfig lc) {
    if (!lc.getAppenders().containsKey(appender.getName())) {
      lc.addAppender(appender, null, null);
    }
  }

  private void detach() {
    context.removePropertyChangeListener(reattach);
    org.apache.logging.log4j.core.config.Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(appender.getName());
    for (LoggerConfig lc : config.getLoggers().values()) {
      lc.removeAppender(appender.getName());
    }
    context.updateLoggers();
  }

  /** Where the log is written now: the temp file, or the file in the run directory. */
  public synchronized String location() {
    if (target != null && !local) {
      return temp + " (copied to " + target + " when the command ends)";
    }
    return appender.file().toString();
  }

  private synchronized void moveTo(org.apache.hadoop.fs.Path path, Configuration conf) {
    if (target != null || closed) {
      return;
    }
    try {
      FileSystem fs = path.getFileSystem(conf);
      org.apache.hadoop.fs.Path file = fs.makeQualified(path);
      target = file;
      targetConf = conf;
      local = "file".equals(file.toUri().getScheme());
      if (local) {
        Path moved = Paths.get(file.toUri());
        Files.createDirectories(moved.getParent());
        appender.moveTo(moved);
        temp = null;
      }
    } catch (IOException | RuntimeException e) {
      appender.writeLine("==== cannot move the log to " + path + ": " + e);
      target = null;
    }
  }

  /**
   * Ends the log: detaches it, copies it to a non-local run directory, and deletes a temp file that
   * never found a directory when {@code success}.
   */
  public synchronized void close(boolean success) {
    if (closed) {
      return;
    }
    closed = true;
    if (active == this) {
      active = null;
    }
    detach();
    appender.writeLine("==== " + (success ? "done" : "failed") + " " + LocalDateTime.now());
    appender.close();
    if (temp == null) {
      return;
    }
    if (target != null && !local) {
      try (InputStream in = Files.newInputStream(temp);
          OutputStream out = target.getFileSystem(targetConf).create(target, true)) {
        in.transferTo(out);
      } catch (IOException | RuntimeException e) {
        return; // keep the temp file
      }
      deleteQuietly(temp);
    } else if (target == null && (success || appender.events() == 0)) {
      deleteQuietly(temp); // nothing to look at (e.g. a usage error found before any work)
    }
  }

  @Override
  public void close() {
    close(false);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover temp file
    }
  }

  /** Appends formatted events to a local file that can be moved while events arrive. */
  private static final class FileAppender extends AbstractAppender {
    private OutputStream out;
    private Path file;
    private long events;

    FileAppender(Layout<String> layout) {
      super("sparktrain-driver-log", null, layout, true, Property.EMPTY_ARRAY);
    }

    synchronized void open(Path path, boolean append) throws IOException {
      out =
          Files.newOutputStream(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      file = path;
    }

    synchronized Path file() {
      return file;
    }

    /** Events written so far. */
    synchronized long events() {
      return events;
    }

    @Override
    public synchronized void append(LogEvent event) {
      if (out == null) {
        return;
      }
      try {
        out.write(getLayout().toByteArray(event));
        out.flush();
        events++;
      } catch (IOException e) {
        error("cannot write the driver log " + file + ": " + e);
      }
    }

    synchronized void writeLine(String line) {
      if (out == null) {
        return;
      }
      try {
        out.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        error("cannot write the driver log " + file + ": " + e);
      }
    }

    /** Appends what was written so far to {@code dest} and goes on writing there. */
    synchronized void moveTo(Path dest) throws IOException {
      out.close();
      try (OutputStream o =
          Files.newOutputStream(dest, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        Files.copy(file, o);
      } catch (IOException e) {
        open(file, true);
        throw e;
      }
      Path old = file;
      open(dest, true);
      deleteQuietly(old);
    }

    /**
     * Log4j stops the appenders of a configuration it replaces or shuts down; this appender lives
     * on into the next configuration ({@link DriverLog#attach}), so only {@link #close()} ends it.
     */
    @Override
    public synchronized boolean stop(long timeout, java.util.concurrent.TimeUnit unit) {
      if (out != null) {
        try {
          out.flush();
        } catch (IOException e) {
          // flushed after every event anyway
        }
      }
      return true;
    }

    /** Closes the file. */
    synchronized void close() {
      setStopping();
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          out = null;
        }
      }
      setStopped();
    }
  }
}
