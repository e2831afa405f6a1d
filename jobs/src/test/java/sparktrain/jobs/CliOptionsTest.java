package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options every command shares are declared once, in the mixins {@link JobConfigOptions},
 * {@link OutputOption} and {@link SparkOptions}; each command still describes them in its own words
 * ({@code OptionHelp.properties}) and still requires those it needs.
 */
class CliOptionsTest {
  private static final Set<String> SHARED = Set.of("--config", "--set", "--output", "--master");

  /** A phrase of each command's own description of its shared options. */
  private static final Map<String, List<String>> OWN_WORDS =
      Map.of(
          "train",
          List.of("Run directory on any Hadoop FS", "e.g. conf/mnist-mlp.conf", "Spark master"),
          "retrain",
          List.of("the same model section as the champion's", "data.train.images=NEW", "train/."),
          "evaluate",
          List.of("metrics.json and report/", "whose data section names the data", "test-limit"),
          "predict",
          List.of("must not exist unless --overwrite", "whose data section names the data"),
          "benchmark",
          List.of(
              "(default: conf/mnist-mlp.conf)", "(default: benchmark-out)", "every competitor"));

  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @Test
  void sharedOptionsAreDeclaredOnlyInTheMixins() {
    List<String> declaredElsewhere = new ArrayList<>();
    for (Class<?> c :
        List.of(
            TrainCommand.class,
            RetrainCommand.class,
            EvaluateCommand.class,
            EvaluateCommand.ScoringOptions.class,
            PredictCommand.class,
            BenchmarkCommand.class)) {
      for (Field f : c.getDeclaredFields()) {
        CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
        if (o != null) {
          for (String name : o.names()) {
            if (SHARED.contains(name)) {
              declaredElsewhere.add(c.getSimpleName() + "." + f.getName() + " " + name);
            }
          }
        }
      }
    }
    assertThat(declaredElsewhere).isEmpty();
  }

  @Test
  void eachCommandDescribesTheSharedOptionsInItsOwnWords() {
    CommandLine cli = SparktrainCli.commandLine();
    OWN_WORDS.forEach(
        (command, phrases) -> {
          CommandSpec spec = cli.getSubcommands().get(command).getCommandSpec();
          StringBuilder shared = new StringBuilder();
          for (OptionSpec o : spec.options()) {
            if (SHARED.contains(o.longestName())) {
              shared.append(String.join(" ", o.description())).append('\n');
            }
          }
          assertThat(shared.toString()).as(command).contains(phrases);
          assertThat(cli.getSubcommands().get(command).getUsageMessage())
              .as(command)
              .contains("--config=FILE", "--set=KEY=VALUE", "--output=DIR");
        });
    // the mixin's default wording where a command has none of its own
    assertThat(
            String.join(
                " ",
                cli.getSubcommands()
                    .get("train")
                    .getCommandSpec()
                    .findOption("--set")
                    .description()))
        .isEqualTo("Override a config key (repeatable; later wins), e.g. --set training.epochs=3.");
  }

  @Test
  void aRequiredSharedOptionThatIsMissingIsAUsageErrorNamingIt() {
    assertThat(SparktrainCli.run("retrain", "--registry", "runs/registry/none"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(console.stderr())
        .contains("Missing required option: '--config=FILE'")
        .contains("Usage: sparktrain retrain");
    assertThat(SparktrainCli.run("evaluate", "--model", "runs/none"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(console.stderr())
        .contains("Missing required option: '--output=DIR'")
        .contains("Usage: sparktrain evaluate");
  }

  @Test
  void resumeWithoutAnOutputIsAUsageErrorOfTrain() {
    assertThat(SparktrainCli.run("train", "--config", CliJobs.MNIST_CONF, "--resume"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(console.stderr())
        .contains("--resume needs --output (or output.dir) naming the run")
        .contains("Usage: sparktrain train");
  }

  /**
   * As in YARN's ApplicationMaster: picocli on a parent class loader (the container's class path),
   * the application in a child loader that sees the application jar. The help texts still load.
   */
  @Test
  void helpTextsLoadWhenPicocliComesFromAParentClassLoader() throws Exception {
    URL picocli = CommandLine.class.getProtectionDomain().getCodeSource().getLocation();
    List<URL> rest = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      URL url = Path.of(entry).toUri().toURL();
      if (!url.sameFile(picocli)) {
        rest.add(url);
      }
    }
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    try (URLClassLoader parent = new URLClassLoader(new URL[] {picocli}, platform);
        URLClassLoader app = new URLClassLoader(rest.toArray(URL[]::new), parent)) {
      Class<?> cli = Class.forName(SparktrainCli.class.getName(), true, app);
      Method commandLine = cli.getDeclaredMethod("commandLine");
      commandLine.setAccessible(true);
      Object built = commandLine.invoke(null);
      assertThat(built.getClass().getClassLoader()).isSameAs(parent);
      Object train =
          ((Map<?, ?>) built.getClass().getMethod("getSubcommands").invoke(built)).get("train");
      assertThat((String) train.getClass().getMethod("getUsageMessage").invoke(train))
          .contains("Run directory on any Hadoop FS");
    }
  }
}
