package sparktrain.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --output DIR}, declared once for every command. What the directory holds, whether it is
 * required and its default differ by command: each command's description is in {@code
 * OptionHelp.properties} under {@code sparktrain.<command>.shared.output}.
 */
final class OutputOption {
  @Spec(Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      descriptionKey = "shared.output",
      description = "Output directory on any Hadoop FS.")
  String dir;

  /** {@code --output}; a usage error (exit 2, with the usage) when it was not given. */
  String required() {
    requireGiven(mixee, dir, "--output=DIR");
    return dir;
  }

  /** {@code --output}, or {@code fallback} when it was not given. */
  String orElse(String fallback) {
    return dir == null ? fallback : dir;
  }

  /** Throws picocli's usage error for a missing required option, as a required option would. */
  static void requireGiven(CommandLine.Model.CommandSpec spec, String value, String option) {
    if (value == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '" + option + "'");
    }
  }
}
