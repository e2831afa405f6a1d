package sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and validates a job configuration: {@code sparktrain/reference.conf} (defaults) < the job
 * file < each {@code --set key=value} in order (later wins). Every problem is collected and
 * reported in one {@link ConfigException}.
 */
public final class ConfigLoader {

  /** Classpath resource with every key and its default. */
  public static final String REFERENCE_RESOURCE = "sparktrain/reference.conf";

  private ConfigLoader() {}

  /**
   * Loads the reference config, then {@code configFileOrNull} (a local HOCON file), then each
   * {@code --set} argument.
   *
   * @param sets {@code key=value} strings; the value is HOCON (numbers, lists, objects, quoted
   *     strings), except that a key whose default is a string takes the text after '=' literally
   *     (so {@code --set output.dir=hdfs://nn:8020/runs} works), unless it starts with a quote
   * @throws ConfigException naming every problem: missing or unparseable file, malformed --set,
   *     unknown keys, wrong types, values out of range, inconsistent layers
   */
  public static JobConfig load(String configFileOrNull, List<String> sets) {
    Config reference = reference();
    List<String> problems = new ArrayList<>();
    Config merged = reference;
    if (configFileOrNull != null) {
      merged = parseFile(configFileOrNull, problems).withFallback(merged);
    }
    for (String set : sets) {
      merged = parseSet(set, reference, problems).withFallback(merged);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return validate(merged, reference);
  }

  /** Validates {@code config} layered over the reference config (for tests and embedding). */
  public static JobConfig fromConfig(Config config) {
    Config reference = reference();
    return validate(config.withFallback(reference), reference);
  }

  /**
   * The reference config, parsed from the exact resource URL (never merged with other libraries'
   * {@code reference.conf} files, as {@code ConfigFactory.load} would do).
   */
  public static Config reference() {
    URL url = ConfigLoader.class.getClassLoader().getResource(REFERENCE_RESOURCE);
    if (url == null) {
      throw new IllegalStateException("classpath resource " + REFERENCE_RESOURCE + " is missing");
    }
    return ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false));
  }

  private static JobConfig validate(Config merged, Config reference) {
    Config resolved;
    try {
      resolved = merged.resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(problem(e), e);
    }
    List<String> problems = new ArrayList<>();
    resolved = KerasOverlay.apply(resolved, problems);
    // The guard rails and the class weights are open sections (metric names, class indexes); the
    // parser checks their keys.
    UnknownKeys.check(
        resolved
            .withoutPath(ConfigKeys.RETRAIN_GUARD_RAILS.path())
            .withoutPath(ConfigKeys.TRAINING_CLASS_WEIGHTS.path())
            .root(),
        reference.root(),
        problems);
    return JobConfigParser.parse(resolved, problems);
  }

  private static Config parseFile(String path, List<String> problems) {
    File file = new File(path);
    if (!file.isFile()) {
      problems.add("--config " + path + ": file not found (or not a regular file)");
      return ConfigFactory.empty();
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      problems.add(problem(e));
      return ConfigFactory.empty();
    }
  }

  private static Config parseSet(String set, Config reference, List<String> problems) {
    String origin = "--set " + set;
    int eq = set.indexOf('=');
    if (eq < 0) {
      problems.add(origin + ": expected key=value");
      return ConfigFactory.empty();
    }
    String key = set.substring(0, eq).trim();
    String text = set.substring(eq + 1);
    try {
      ConfigUtil.splitPath(key);
      boolean literal =
          reference.hasPath(key)
              && reference.getValue(key).valueType() == ConfigValueType.STRING
              && !text.trim().startsWith("\"");
      ConfigValue value =
          literal
              ? ConfigValueFactory.fromAnyRef(text, origin)
              : ConfigFactory.parseString(
                      "value = " + text, ConfigParseOptions.defaults().setOriginDescription(origin))
                  .getValue("value")
                  .withOrigin(ConfigOriginFactory.newSimple(origin));
      return ConfigFactory.empty().withValue(key, value);
    } catch (com.typesafe.config.ConfigException e) {
      problems.add(origin + ": " + e.getMessage());
      return ConfigFactory.empty();
    }
  }

  /** A Typesafe parse or resolve error as a problem line starting with its file:line. */
  private static String problem(com.typesafe.config.ConfigException e) {
    if (e.origin() == null) {
      return e.getMessage();
    }
    String message = e.getMessage();
    String prefix = e.origin().description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    return ConfigReader.where(e.origin()) + ": " + message;
  }
}
