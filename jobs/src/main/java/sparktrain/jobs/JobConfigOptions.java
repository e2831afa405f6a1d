package sparktrain.jobs;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;

/**
 * {@code --config FILE} and {@code --set KEY=VALUE}, declared once for every command that reads a
 * job config. The descriptions are the defaults; a command's own wording (its example, its default)
 * is in {@code OptionHelp.properties} under {@code sparktrain.<command>.shared.config}.
 */
final class JobConfigOptions {
  @Spec(Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      descriptionKey = "shared.config",
      description = "Job config (HOCON), e.g. conf/mnist-mlp.conf.")
  String file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      descriptionKey = "shared.set",
      description = "Override a config key (repeatable; later wins), e.g. --set training.epochs=3.")
  List<String> sets = new ArrayList<>();

  /** The config: reference.conf, then {@code --config}, then each {@code --set}. */
  JobConfig load() {
    return ConfigLoader.load(file, sets);
  }

  /**
   * The config with {@code --output}, when given, as {@code output.dir} after every {@code --set}.
   */
  JobConfig load(OutputOption output) {
    List<String> all = new ArrayList<>(sets);
    if (output.dir != null) {
      all.add("output.dir=" + quote(output.dir));
    }
    return ConfigLoader.load(file, all);
  }

  /** {@code --config}, or {@code fallback} when it was not given. */
  String fileOr(String fallback) {
    return file == null ? fallback : file;
  }

  /** Fails as a usage error (exit 2, with the usage) when {@code --config} was not given. */
  JobConfigOptions require() {
    OutputOption.requireGiven(mixee, file, "--config=FILE");
    return this;
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
