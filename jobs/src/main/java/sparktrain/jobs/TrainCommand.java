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
import sparktrain.data.InputPreflight;
import sparktrain.registry.RegisteredVersion;
import sparktrain.retrain.TrainRegistration;
import sparktrain.spark.SparkSessions;
import sparktrain.train.RunDirectoryPreflight;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/** {@code sparktrain train}: train a network on Spark with parameter averaging. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a network with synchronous parameter averaging; checkpoint every epoch.")
final class TrainCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Job config (HOCON), e.g. conf/mnist-mlp.conf.")
  String configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a config key (repeatable; later wins), e.g. --set training.epochs=3.")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Run directory on any Hadoop FS (default: runs/<workload>-<time>).")
  String output;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master (default: the job's Spark conf, else local[*] in the embedded runner).")
  String master;

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
    List<String> all = new ArrayList<>(sets);
    if (output != null) {
      all.add("output.dir=" + quote(output));
    }
    JobConfig config = ConfigLoader.load(configFile, all);
    if (resume && (config.output().dir() == null || config.output().dir().isBlank())) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--resume needs --output (or output.dir) naming the run");
    }
    // Everything that can be checked on the driver, before Spark starts and before anything is
    // written: Spark's arguments, the run directory, the inputs against the network, the registry.
    Configuration hadoop = SparkSessions.hadoopConf(SparkSessions.checkedConf(master));
    RunDirectoryPreflight.check(config, resume, force, hadoop);
    InputPreflight.check(
        config.data(), InputPreflight.Expectation.of(config), InputPreflight.Usage.TRAIN, hadoop);
    if (register != null) {
      TrainRegistration.check(register, hadoop); // before hours of training
    }
    SparkSession spark = SparkSessions.getOrCreate(master, "sparktrain train " + config.workload());
    try {
      TrainJob.Options options = resume ? TrainJob.Options.resuming() : TrainJob.Options.fresh();
      TrainSummary s = TrainJob.run(config, spark, force ? options.withForce() : options);
      System.out.println(s.runDir() + "/summary.json");
      if (register != null) {
        RegisteredVersion v =
            TrainRegistration.register(
                register, spark.sparkContext().hadoopConfiguration(), config, s);
        System.out.println(v.version() + (v.champion() ? " champion" : ""));
      }
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
