package sparktrain.retrain;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.data.InputPreflight;
import sparktrain.lease.OutputLease;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegistryException;
import sparktrain.train.RunDirectoryException;

/**
 * The checks of {@code retrain} on the driver, before the SparkSession starts and before anything
 * is written: {@code --output} is new or empty, the registry exists and has a champion that loads
 * and verifies, the config's model section is the champion's, and the data fits that model ({@link
 * InputPreflight}). {@link RetrainJob} repeats the registry and model checks under the lock; this
 * only moves the failure before any work.
 */
public final class RetrainPreflight {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainPreflight.class);

  private RetrainPreflight() {}

  /**
   * Checks a retrain of the champion of {@code registryUri} with {@code config}.
   *
   * @throws RunDirectoryException if {@code output.dir} exists and is not an empty directory
   * @throws RegistryException if there is no registry or no champion
   * @throws ConfigException if the model section differs from the champion's
   * @throws sparktrain.data.DataException listing what in the data does not fit
   */
  public static void check(JobConfig config, String registryUri, Configuration conf)
      throws IOException {
    String dir = config.output().dir();
    if (dir != null && !dir.isBlank()) {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      Path out = fs.makeQualified(p);
      if (fs.exists(out)
          && (!fs.getFileStatus(out).isDirectory() || !OutputLease.contents(fs, out).isEmpty())) {
        throw new RunDirectoryException(
            "retrain output directory "
                + out
                + (fs.getFileStatus(out).isDirectory() ? " exists and is not empty" : " is a file")
                + "; choose another --output (e.g. one per day)");
      }
    }
    ModelRegistry registry = ModelRegistry.open(registryUri, conf).requireExists();
    String champion = championOf(registry);
    LoadedCheckpoint model = registry.load(champion);
    String recorded = model.resolvedConfig();
    if (recorded != null && !recorded.isBlank()) {
      JobConfig trainedWith;
      try {
        trainedWith = ConfigLoader.fromConfig(ConfigFactory.parseString(recorded));
      } catch (RuntimeException e) {
        LOG.warn("Cannot read the config recorded with {} ({})", model.name(), String.valueOf(e));
        trainedWith = null;
      }
      if (trainedWith != null && !trainedWith.model().equals(config.model())) {
        throw new ConfigException(
            List.of(
                "model: the retrain config's model section differs from the one champion "
                    + champion
                    + " was trained with; retraining continues the champion's network (layers and"
                    + " updater), so use its model section (see registry show "
                    + champion
                    + ", key config)"));
      }
    }
    InputPreflight.check(
        config.data(), InputPreflight.Expectation.of(config), InputPreflight.Usage.TRAIN, conf);
  }

  /**
   * The registry's champion, the version a retrain continues.
   *
   * @throws RegistryException naming the registry and its versions when it has none
   */
  static String championOf(ModelRegistry registry) throws IOException {
    return registry
        .champion()
        .orElseThrow(
            () ->
                new RegistryException(
                    "Model registry "
                        + registry.uri()
                        + " has no champion to retrain; make one with registry promote VERSION"
                        + " (versions: "
                        + versions(registry)
                        + ")"));
  }

  private static String versions(ModelRegistry registry) {
    try {
      return registry.versions().toString();
    } catch (IOException | RegistryException e) {
      return "unknown: " + e.getMessage();
    }
  }
}
