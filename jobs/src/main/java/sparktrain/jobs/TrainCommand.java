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
import sparktrain.data.InputPreflight;
import sparktrain.lease.OutputLease;
import sparktrain.registry.RegisteredVersion;
import sparktrain.retrain.TrainRegistration;
import sparktrain.train.Dl4jEngines;
import sparktrain.train.RunDirectoryPreflight;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/** {@code sparktrain train}: train a network on Spark with parameter averaging. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a network with synchronous parameter averaging; checkpoint every epoch.")
final class TrainCommand implements Callable<Integer> {
  @Mixin JobConfigOptions job;

  @Mixin OutputOption output;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--resume",
      description = "Continue the run in --output from its newest checkpoint.")
  boolean resume;

  @Option(names = "--force", description = "Use --output even if it holds a run of another config.")
  boolean force;

  @Option(
      names = "--register",
      paramLabel = "REG/NAME",
      description =
          "After training, register the final model in this model registry (any Hadoop FS);"
              + " the first version becomes the champion. Prints the version on a second line.")
  String register;

  @Override
  public Integer call() throws IOException {
    JobConfig config = job.load(output);
    Dl4jEngines.check(config.training()); // training.engine = dl4j on the Spark 4 build
    if (resume && (config.output().dir() == null || config.output().dir().isBlank())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--resume needs --output (or output.dir) naming the run");
    }
    // Everything that can be checked on the driver, before Spark starts and before anything is
    // written: Spark's arguments, the run directory, the inputs against the network, the registry.
    Configuration hadoop = spark.checkedHadoopConf();
    RunDirectoryPreflight.check(config, resume, force, hadoop);
    InputPreflight.check(
        config.data(), InputPreflight.Expectation.of(config), InputPreflight.Usage.TRAIN, hadoop);
    if (register != null) {
      TrainRegistration.check(register, hadoop); // before hours of training
    }
    // One writer per run directory, from before Spark starts (the job takes it again); a default
    // run directory is new (timestamped) and leased by the job itself.
    try (OutputLease lease =
        OutputLease.acquireIfNamed(
            config.output().dir(),
            hadoop,
            config.output().leaseTtl(),
            "train",
            TrainJob.TAKE_OVER)) {
      SparkSession session =
          spark.startTraining("sparktrain train " + config.workload(), config.training());
      try {
        TrainJob.Options options = resume ? TrainJob.Options.resuming() : TrainJob.Options.fresh();
        TrainSummary s = TrainJob.run(config, session, force ? options.withForce() : options);
        System.out.println(s.runDir() + "/summary.json");
        if (register != null) {
          RegisteredVersion v =
              TrainRegistration.register(
                  register, session.sparkContext().hadoopConfiguration(), config, s);
          System.out.println(v.version() + (v.champion() ? " champion" : ""));
        }
        return ExitCodes.OK;
      } finally {
        session.stop();
      }
    }
  }
}
