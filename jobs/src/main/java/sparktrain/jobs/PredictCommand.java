package sparktrain.jobs;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparktrain.predict.PredictJob;

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

  @Mixin OutputOption output;

  @Option(names = "--overwrite", description = "Replace DIR if it holds a previous prediction.")
  boolean overwrite;

  @Option(
      names = "--keep-columns",
      split = ",",
      paramLabel = "COL[,COL...]",
      description =
          "Input columns (csv, parquet) copied as text into every prediction row, e.g. an id to"
              + " join the predictions back on.")
  java.util.List<String> keepColumns = new java.util.ArrayList<>();

  @Override
  public Integer call() throws IOException {
    String dir = output.required();
    return scoring.execute(
        "predict",
        dir,
        PredictJob.TAKE_OVER,
        "_logs/driver.log", // Spark's readers skip names starting with _
        conf -> PredictJob.checkOutput(dir, overwrite, conf),
        (config, spark) ->
            PredictJob.run(
                    config,
                    spark,
                    new PredictJob.Options(
                        scoring.model, dir, overwrite, scoring.split, keepColumns))
                .output());
  }
}
