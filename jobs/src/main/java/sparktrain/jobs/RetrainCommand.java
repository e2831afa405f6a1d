package sparktrain.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.retrain.RetrainJob;
import sparktrain.retrain.RetrainPreflight;
import sparktrain.retrain.RetrainSummary;
import sparktrain.spark.SparkSessions;

/**
 * {@code sparktrain retrain --config FILE --registry REG/NAME [--set k=v] [--output DIR]}: continue
 * the registry's champion on new data and promote the challenger only if it is better. Exit codes
 * for schedulers: 0 when promoted, champion kept or no new data ({@code summary.json} says which),
 * 2 config/data/registry errors, 3 registry locked (nothing touched), 1 other failures.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description = {
      "Continue the champion of a model registry on new data; promote the challenger only if it is"
          + " better on the test split by retrain.min-improvement and within retrain.guard-rails.",
      "The challenger keeps the champion's normalizer or fits its own: retrain.normalizer ="
          + " keep | refit (e.g. --set retrain.normalizer=refit).",
      "Prints the path of summary.json (decision: promoted | kept-champion | no-new-data).",
      "Exit codes: 0 done (any decision), 2 config/data/registry error, 3 registry locked by"
          + " another retrain/promotion (nothing changed; retry later), 1 failure."
    })
final class RetrainCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Job config (HOCON), the same model section as the champion's.")
  String configFile;

  @Option(
      names = "--registry",
      required = true,
      paramLabel = "REG/NAME",
      description = "The model's registry directory on any Hadoop FS, e.g. hdfs:///models/mnist.")
  String registry;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a config key (repeatable; later wins), e.g. --set data.train.images=NEW.")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description =
          "Output directory, new or empty (default: runs/retrain-<name>-<time>): summary.json and"
              + " the training run in train/.")
  String output;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master (default: the job's Spark conf, else local[*] in the embedded runner).")
  String master;

  @Option(
      names = "--break-lock",
      description =
          "Remove the registry's lock first, whoever holds it (only when its holder is dead; a"
              + " stale lock is broken anyway once retrain.lock-ttl has passed).")
  boolean breakLock;

  @Override
  public Integer call() throws IOException {
    List<String> all = new ArrayList<>(sets);
    if (output != null) {
      all.add("output.dir=" + TrainCommand.quote(output));
    }
    JobConfig config = ConfigLoader.load(configFile, all);
    // Spark's arguments, the output directory, the registry and its champion, and the data against
    // the champion's network: all checked before Spark starts and before anything is written
    Configuration hadoop = SparkSessions.hadoopConf(SparkSessions.checkedConf(master));
    RetrainPreflight.check(config, registry, hadoop);
    SparkSession spark =
        SparkSessions.getOrCreate(master, "sparktrain retrain " + config.workload());
    try {
      RetrainSummary s = RetrainJob.run(config, spark, registry, new RetrainJob.Options(breakLock));
      System.out.println(s.outputDir() + "/summary.json");
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }
}
