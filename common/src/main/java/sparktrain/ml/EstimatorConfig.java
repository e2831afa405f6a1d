package sparktrain.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.List;
import java.util.Map;
import sparktrain.config.ConfigException;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;

/**
 * The job config of an estimator's fit: reference.conf < {@code setConfig} HOCON or the {@code
 * setConfigPath} file < the estimator's Params that override keys ({@code learningRate} → {@code
 * model.updater.learning-rate}, {@code epochs} → {@code training.epochs}, {@code
 * validationFraction} → {@code data.split.validation}, {@code outputDir} → {@code output.dir},
 * {@code keras} → {@code model.keras}, {@code kerasWeights} → {@code model.keras-weights}),
 * validated by {@link ConfigLoader} like the CLI's (unknown keys and bad values are errors).
 *
 * <p>The data section's inputs are the DataFrame: {@code data.format}, {@code data.path} and the
 * {@code data.train/validation/test} paths are ignored, and {@code data.label} is the estimator's
 * {@code labelCol}.
 */
final class EstimatorConfig {
  /** What {@code data.path} reads in the resolved config of a fit. */
  static final String DATAFRAME = "(DataFrame)";

  private EstimatorConfig() {}

  /**
   * @param hocon the {@code config} Param, or null
   * @param path the {@code configPath} Param (a local HOCON file), or null
   * @param overrides config keys set by the estimator's Params (values: numbers or strings)
   * @throws ConfigException naming every problem, as {@code train --config} does
   */
  static JobConfig resolve(String hocon, String path, Map<String, Object> overrides) {
    if (hocon != null && path != null) {
      throw new ConfigException(
          List.of("setConfig and setConfigPath are both set: give the config one way"));
    }
    Config user = ConfigFactory.empty();
    try {
      if (hocon != null) {
        user =
            ConfigFactory.parseString(
                hocon, ConfigParseOptions.defaults().setOriginDescription("setConfig"));
      } else if (path != null) {
        if (!new File(path).isFile()) {
          throw new ConfigException(
              List.of("setConfigPath " + path + ": file not found (or not a regular file)"));
        }
        user = ConfigFactory.parseFile(new File(path));
      }
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    for (String key :
        List.of("data.format", "data.path", "data.train", "data.validation", "data.test")) {
      user = user.withoutPath(key);
    }
    user = user.withValue("data.format", value("parquet"));
    user = user.withValue("data.path", value(DATAFRAME));
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      user = user.withValue(e.getKey(), value(e.getValue()));
    }
    return ConfigLoader.fromConfig(user);
  }

  private static com.typesafe.config.ConfigValue value(Object v) {
    return ConfigValueFactory.fromAnyRef(v, "SparktrainEstimator");
  }
}
