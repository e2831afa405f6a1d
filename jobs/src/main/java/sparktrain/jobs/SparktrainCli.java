package sparktrain.jobs;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      CommandLine.HelpCommand.class
    })
public final class SparktrainCli implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SparktrainCli.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Entry point; exits the JVM with the command's exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SparktrainCli());
    cli.setErr(new PrintWriter(System.err, true));
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          int code = ExitCodes.of(ex);
          if (code != ExitCodes.FAILURE) {
            LOG.debug("user error", ex);
            cmd.getErr().println("error: " + ExitCodes.message(ex));
          } else {
            LOG.error("{} failed", cmd.getCommandName(), ex);
            cmd.getErr().println("failed: " + ex);
          }
          return code;
        });
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine().usage(ex.getCommandLine().getErr());
          return ExitCodes.USER_ERROR;
        });
    return cli.execute(args);
  }

  /** Version from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sparktrain " + sparktrain.report.Versions.sparktrain()};
    }
  }
}
