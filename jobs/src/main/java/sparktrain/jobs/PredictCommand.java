package sparktrain.jobs;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparktrain.config.JobConfig;
import sparktrain.eval.JobArgumentException;
import sparktrain.predict.PredictJob;
import sparktrain.spark.SparkSessions;

/**
 * {@code sparktrain predict --model PATH --config FILE [--set k=v] --output DIR [--overwrite]}: one
 * Parquet row per record of the config's data, written by the executors.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Score a saved model on the config's data (test split by default) and write one Parquet"
            + " row per record to DIR: id, label, predicted_label and probabilities (or"
            + " prediction for regression).")
final class PredictCommand implements Callable<Integer> {
  @Mixin EvaluateCommand.ScoringOptions scoring;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Parquet output directory (any Hadoop FS); must not exist unless --overwrite.")
  String output;

  @Option(names = "--overwrite", description = "Replace DIR if it holds a previous prediction.")
  boolean overwrite;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    JobConfig config = scoring.config();
    try {
      // fail fast, before Spark starts; the job checks again with Spark's Hadoop configuration
      PredictJob.checkOutput(output, overwrite, new Configuration());
    } catch (JobArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.USER_ERROR;
    } catch (IOException e) {
      // e.g. a file system only Spark's configuration can reach: leave it to the job
    }
    SparkSession spark =
        SparkSessions.getOrCreate(scoring.master, "sparktrain predict " + config.workload());
    try {
      PredictJob.Summary s =
          PredictJob.run(
              config,
              spark,
              new PredictJob.Options(scoring.model, output, overwrite, scoring.split));
      System.out.println(s.output());
      return ExitCodes.OK;
    } catch (JobArgumentException e) {
      // a --model or --output the user must fix: the message says which and why (no usage dump)
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.USER_ERROR;
    } finally {
      spark.stop();
    }
  }
}
