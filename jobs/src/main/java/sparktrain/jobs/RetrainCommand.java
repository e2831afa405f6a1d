package sparktrain.jobs;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparktrain.config.JobConfig;
import sparktrain.lease.OutputLease;
import sparktrain.retrain.RetrainJob;
import sparktrain.retrain.RetrainPreflight;
import sparktrain.retrain.RetrainSummary;
import sparktrain.train.Dl4jEngines;

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
          + " another retrain/promotion or --output written by another command (nothing changed;"
          + " retry later), 1 failure."
    })
final class RetrainCommand implements Callable<Integer> {
  @Mixin JobConfigOptions job;

  @Option(
      names = "--registry",
      required = true,
      paramLabel = "REG/NAME",
      description = "The model's registry directory on any Hadoop FS, e.g. hdfs:///models/mnist.")
  String registry;

  @Mixin OutputOption output;

  @Mixin SparkOptions spark;

  @Option(
      names = "--break-lock",
      description =
          "Remove the registry's lock first, whoever holds it (only when its holder is dead; a"
              + " stale lock is broken anyway once retrain.lock-ttl has passed).")
  boolean breakLock;

  @Override
  public Integer call() throws IOException {
    JobConfig config = job.require().load(output);
    Dl4jEngines.check(config.training()); // training.engine = dl4j on the Spark 4 build
    // Spark's arguments, the output directory, the registry and its champion, and the data against
    // the champion's network: all checked before Spark starts and before anything is written
    Configuration hadoop = spark.checkedHadoopConf();
    RetrainPreflight.check(config, registry, hadoop);
    try (OutputLease lease =
        OutputLease.acquireIfNamed(
            config.output().dir(),
            hadoop,
            config.output().leaseTtl(),
            "retrain",
            RetrainJob.TAKE_OVER)) {
      SparkSession session =
          spark.startTraining("sparktrain retrain " + config.workload(), config.training());
      try {
        RetrainSummary s =
            RetrainJob.run(config, session, registry, new RetrainJob.Options(breakLock));
        System.out.println(s.outputDir() + "/summary.json");
        return ExitCodes.OK;
      } finally {
        session.stop();
      }
    }
  }
}
