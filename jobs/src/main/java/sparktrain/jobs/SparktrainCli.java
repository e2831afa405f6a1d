package sparktrain.jobs;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import sparktrain.report.DriverLog;
import sparktrain.runtime.OutOfMemory;

/**
 * The {@code sparktrain} command line: one entry point for {@code spark-submit --class
 * sparktrain.jobs.SparktrainCli} and for the embedded launcher {@code submit-scripts/sparktrain}.
 */
@Command(
    name = "sparktrain",
    mixinStandardHelpOptions = true,
    versionProvider = SparktrainCli.Version.class,
    description = "Train, retrain and evaluate Deeplearning4j networks on Apache Spark.",
    subcommands = {
      TrainCommand.class,
      RetrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      RegistryCommand.class,
      BenchmarkCommand.class,
      MakeDataCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SparktrainCli implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SparktrainCli.class);
  private static final String OPTION_HELP = "sparktrain.jobs.OptionHelp";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * Entry point; exits the JVM with the command's exit code. On success in cluster deploy mode it
   * returns instead: there the driver runs inside YARN's ApplicationMaster, which reports the
   * application SUCCEEDED only when {@code main} returns (a {@code System.exit} reaches its
   * shutdown hook first, and YARN records FAILED: "Shutdown hook called before final status was
   * reported"); a non-zero code still exits, which YARN records as FAILED.
   */
  public static void main(String[] args) {
    // before anything loads ND4J: its AVX2 binary where the CPU has AVX2 (not in run(): tests keep
    // whichever binary their JVM loaded first)
    sparktrain.runtime.Nd4jBinary.select();
    int code = run(args);
    if (code == 0 && "cluster".equals(System.getProperty("spark.submit.deployMode"))) {
      return;
    }
    System.exit(code);
  }

  /**
   * Runs the command line and returns the exit code (tests call this).
   *
   * <p>The console is for people: on an error it shows the one message and where the full driver
   * log is ({@link DriverLog}: stack traces and Spark's INFO lines go there, not to the console).
   */
  public static int run(String... args) {
    Optional<DriverLog> log = DriverLog.start(commandName(args), args);
    int code = ExitCodes.FAILURE;
    try {
      code = execute(args, log);
      return code;
    } finally {
      log.ifPresent(l -> l.close(false));
    }
  }

  private static int execute(String[] args, Optional<DriverLog> log) {
    CommandLine cli = commandLine();
    cli.setErr(new PrintWriter(System.err, true));
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          int code = ExitCodes.of(ex);
          if (code != ExitCodes.FAILURE) {
            LOG.info(DriverLog.FILE_ONLY, "{}: stopped by a user error", cmd.getCommandName(), ex);
            cmd.getErr().println("error: " + ExitCodes.message(ex));
          } else {
            LOG.error(DriverLog.FILE_ONLY, "{} failed", cmd.getCommandName(), ex);
            cmd.getErr()
                .println(
                    "failed: "
                        + OutOfMemory.explain(ex, activeMaster())
                            .orElseGet(() -> firstLine(ex.toString())));
          }
          log.ifPresent(l -> cmd.getErr().println("full log: " + l.location()));
          return code;
        });
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine().usage(ex.getCommandLine().getErr());
          return ExitCodes.USER_ERROR;
        });
    int code;
    try {
      code = cli.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands on Errors; this one gets the same one line as any failure
      LOG.error(DriverLog.FILE_ONLY, "out of memory", e);
      System.err.println("failed: " + OutOfMemory.explain(e, activeMaster()).orElseThrow());
      log.ifPresent(l -> System.err.println("full log: " + l.location()));
      return ExitCodes.FAILURE;
    }
    if (code == ExitCodes.OK) {
      log.ifPresent(l -> l.close(true));
    }
    return code;
  }

  /** The master of the running Spark session, else the one Spark's conf names, else local. */
  private static String activeMaster() {
    scala.Option<org.apache.spark.sql.SparkSession> active =
        org.apache.spark.sql.SparkSession.getDefaultSession();
    return active.isDefined()
        ? active.get().sparkContext().master()
        : System.getProperty("spark.master", "local");
  }

  /** The command line with its subcommands and their options' help texts. */
  static CommandLine commandLine() {
    return new CommandLine(new SparktrainCli()).setResourceBundle(optionHelp());
  }

  /**
   * The options' help texts ({@code OptionHelp.properties}), looked up with this class's own class
   * loader. picocli's {@code @Command(resourceBundle = ...)} looks them up with picocli's loader:
   * in YARN's ApplicationMaster that is the system class loader whenever picocli is also on the
   * container's class path, and it cannot see the application jar, so the driver failed before
   * parsing its arguments (MissingResourceException, AM exit code 13).
   */
  private static ResourceBundle optionHelp() {
    return ResourceBundle.getBundle(
        OPTION_HELP, Locale.getDefault(), SparktrainCli.class.getClassLoader());
  }

  /** The command's name for the log file: the first argument that is not an option. */
  private static String commandName(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return "cli";
  }

  /** A failure's first line: Spark puts executor stack traces into its exception messages. */
  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    String first = (nl < 0 ? text : text.substring(0, nl)).stripTrailing();
    return nl < 0 ? first : first + " [...]";
  }

  /** Version from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sparktrain " + sparktrain.provenance.Versions.sparktrain()};
    }
  }
}
