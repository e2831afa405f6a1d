package sparktrain.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import sparktrain.config.JitMode;
import sparktrain.config.TrainingConfig;
import sparktrain.config.TrainingEngineKind;
import sparktrain.runtime.ExecutorJit;
import sparktrain.spark.SparkSessions;

/**
 * {@code --master URL}, declared once for every command that starts Spark, and the two steps every
 * such command takes with it: check Spark's arguments before anything else, then start Spark.
 */
final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master (default: the job's Spark conf, else local[*] in the embedded runner).")
  String master;

  /**
   * The Hadoop configuration Spark will use, after checking {@code --master} and the {@code
   * spark.*} settings (a {@link sparktrain.spark.SparkArgumentException} names a bad one) before
   * Spark starts.
   */
  Configuration checkedHadoopConf() {
    return SparkSessions.hadoopConf(SparkSessions.checkedConf(master));
  }

  /** Starts (or joins) the Spark session of {@code --master} for the application {@code name}. */
  SparkSession start(String name) {
    return SparkSessions.getOrCreate(master, name);
  }

  /**
   * As {@link #start(String)}, for a command that trains with {@code training}: on a cluster, the
   * executors get {@link ExecutorJit}'s flag when the barrier engine trains with {@code
   * training.jit = auto}.
   */
  SparkSession startTraining(String name, TrainingConfig training) {
    boolean jit = training.engine() == TrainingEngineKind.BARRIER && training.jit() == JitMode.AUTO;
    return SparkSessions.getOrCreate(
        master,
        name,
        conf -> {
          if (jit) {
            ExecutorJit.applyTo(conf);
          }
        });
  }
}
