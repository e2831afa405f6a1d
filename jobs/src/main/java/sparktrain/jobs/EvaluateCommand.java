package sparktrain.jobs;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparktrain.config.JobConfig;
import sparktrain.eval.EvaluateJob;
import sparktrain.eval.ScoringPreflight;
import sparktrain.eval.Split;
import sparktrain.lease.OutputLease;
import sparktrain.report.DriverLog;

/**
 * {@code sparktrain evaluate --model PATH --config FILE [--set k=v] --output DIR}: metrics of a
 * saved model on the config's data, computed on the executors; writes metrics.json and report/.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Score a saved model on the config's data (test split by default): metrics computed on the"
            + " executors, written to DIR/metrics.json and DIR/report/index.html.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin ScoringOptions scoring;

  @Mixin OutputOption output;

  @Override
  public Integer call() throws IOException {
    String dir = output.required();
    return scoring.execute(
        "evaluate",
        dir,
        EvaluateJob.TAKE_OVER,
        DriverLog.FILE,
        conf -> EvaluateJob.checkOutput(dir, conf),
        (config, spark) ->
            EvaluateJob.run(
                    config, spark, new EvaluateJob.Options(scoring.model, dir, scoring.split))
                .metricsFile());
  }

  /** The options {@code evaluate} and {@code predict} share: model, config, data split, master. */
  static final class ScoringOptions {
    @Option(
        names = "--model",
        required = true,
        paramLabel = "PATH",
        description =
            "A run directory (its model/), a model or checkpoint directory"
                + " (RUN/checkpoints/epoch-0003), or a registry version REG/NAME@v0003 or"
                + " REG/NAME@champion.")
    String model;

    @Mixin JobConfigOptions job;

    @Option(
        names = "--split",
        paramLabel = "SPLIT",
        description = "Data split to score: test (default) or train.",
        converter = SplitConverter.class)
    Split split = Split.TEST;

    @Mixin SparkOptions spark;

    /**
     * Runs a scoring job the way both commands do. Before Spark starts: Spark's arguments, {@code
     * --output} (checked again by the job), {@code --model} (loaded and verified) and the data of
     * the scored split against the model's input and classes ({@link ScoringPreflight}); then the
     * lease on {@code output} is taken ({@link OutputLease}, exit 3 if another command writes
     * there). Then the job runs, its result path is printed and the driver log moves to {@code
     * logFile} inside {@code output}. A {@link sparktrain.errors.JobArgumentException} (a {@code
     * --model} or {@code --output} to fix) is exit 2 with its message and no usage dump, like every
     * user error.
     */
    int execute(
        String command,
        String output,
        String takeOver,
        String logFile,
        OutputCheck check,
        ScoringJob scoringJob)
        throws IOException {
      JobConfig config = job.load();
      Configuration hadoop = spark.checkedHadoopConf();
      try {
        check.run(hadoop);
      } catch (IOException e) {
        // e.g. a file system that cannot be reached before the job: leave it to the job
      }
      ScoringPreflight.check(config, model, split, hadoop);
      try (OutputLease lease =
          OutputLease.acquire(output, hadoop, config.output().leaseTtl(), command, takeOver)) {
        SparkSession session = spark.start("sparktrain " + command + " " + config.workload());
        try {
          System.out.println(scoringJob.run(config, session));
          DriverLog.useFile(
              new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(output), logFile),
              session.sparkContext().hadoopConfiguration());
          return ExitCodes.OK;
        } finally {
          session.stop();
        }
      }
    }
  }

  /** A check of {@code --output} against a Hadoop configuration. */
  interface OutputCheck {
    void run(Configuration conf) throws IOException;
  }

  /** A scoring job; returns the path to print. */
  interface ScoringJob {
    String run(JobConfig config, SparkSession spark) throws IOException;
  }

  /** {@code test} / {@code train}, case-insensitive. */
  static final class SplitConverter implements CommandLine.ITypeConverter<Split> {
    @Override
    public Split convert(String value) {
      for (Split s : Split.values()) {
        if (s.configName().equals(value.toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a split; expected test or train");
    }
  }
}
