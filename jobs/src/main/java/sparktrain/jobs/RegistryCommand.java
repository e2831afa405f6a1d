package sparktrain.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sparktrain.lease.Lease;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegistryException;
import sparktrain.registry.RegistryLock;
import sparktrain.registry.VersionInfo;

/**
 * {@code sparktrain registry list|show|promote|rollback --registry REG/NAME [VERSION]}: inspect a
 * model registry and move its champion by hand. Promote and rollback take the registry's lock (exit
 * {@value ExitCodes#LOCKED} while a retrain holds it).
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Inspect a model registry and promote or roll back its champion.",
    subcommands = {
      RegistryCommand.ListVersions.class,
      RegistryCommand.Show.class,
      RegistryCommand.Promote.class,
      RegistryCommand.Rollback.class
    })
final class RegistryCommand implements Callable<Integer> {
  /** How long promote/rollback hold the lock at most (they take seconds). */
  static final Duration LOCK_TTL = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(RegistryCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a registry command is required: list, show, promote or rollback");
  }

  /** The {@code --registry REG/NAME} option shared by every registry command. */
  static final class RegistryOption {
    @Option(
        names = "--registry",
        required = true,
        paramLabel = "REG/NAME",
        description = "The model's registry directory on any Hadoop FS, e.g. hdfs:///models/mnist.")
    String registry;

    ModelRegistry openExisting() throws IOException {
      return ModelRegistry.open(registry, new Configuration()).requireExists();
    }
  }

  /** The lock options of the commands that move the champion. */
  static final class LockOptions {
    @Option(
        names = "--break-lock",
        description =
            "Remove the registry's lock first, whoever holds it (only when its holder is dead).")
    boolean breakLock;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why, recorded in the registry's HISTORY.")
    String reason;

    Lease.Handle acquire(ModelRegistry registry, String purpose) throws IOException {
      RegistryLock lock = registry.lock();
      if (breakLock) {
        lock.breakLock()
            .ifPresent(
                held ->
                    System.err.println(
                        "warning: broke the registry lock held by " + held.describe()));
      }
      return lock.tryAcquire(LOCK_TTL, purpose + " by " + System.getProperty("user.name"));
    }
  }

  /** {@code registry list}: one line per version. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the versions: created, champion marker (*), decision, parent, metrics.")
  static final class ListVersions implements Callable<Integer> {
    @Mixin RegistryOption target;

    @Override
    public Integer call() throws IOException {
      List<VersionInfo> versions = target.openExisting().list();
      printTable(System.out, versions);
      return ExitCodes.OK;
    }
  }

  /** {@code registry show}: a version's manifest. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print a version's manifest.json (default: the champion's).")
  static final class Show implements Callable<Integer> {
    @Mixin RegistryOption target;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "VERSION",
        description = "e.g. v0003 or 3 (default: the champion).")
    String version;

    @Override
    public Integer call() throws IOException {
      ModelRegistry registry = target.openExisting();
      String v = version;
      if (v == null) {
        v = registry.champion().orElse(null);
        if (v == null) {
          throw new RegistryException(
              "Model registry "
                  + registry.uri()
                  + " has no champion; name a VERSION, one of "
                  + registry.versions());
        }
      }
      String json = new String(registry.manifestJson(v), StandardCharsets.UTF_8);
      System.out.print(json.endsWith("\n") ? json : json + "\n");
      return ExitCodes.OK;
    }
  }

  /** {@code registry promote VERSION}: make a version the champion, after verifying it. */
  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Verify VERSION (SHA-256 of every file) and make it the champion; prints the champion.")
  static final class Promote implements Callable<Integer> {
    @Mixin RegistryOption target;
    @Mixin LockOptions lock;

    @Parameters(index = "0", paramLabel = "VERSION", description = "e.g. v0003 or 3.")
    String version;

    @Override
    public Integer call() throws IOException {
      ModelRegistry registry = target.openExisting();
      String v = ModelRegistry.normalizeVersion(version);
      try (Lease.Handle held = lock.acquire(registry, "registry promote " + v)) {
        registry.promote(v, lock.reason == null ? "manual promotion" : lock.reason);
      }
      LOG.info("Champion of {} is now {}", registry.uri(), v);
      System.out.println(v);
      return ExitCodes.OK;
    }
  }

  /** {@code registry rollback}: restore the previous champion. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Restore the champion before the current one; prints the champion.")
  static final class Rollback implements Callable<Integer> {
    @Mixin RegistryOption target;
    @Mixin LockOptions lock;

    @Override
    public Integer call() throws IOException {
      ModelRegistry registry = target.openExisting();
      String champion;
      try (Lease.Handle held = lock.acquire(registry, "registry rollback")) {
        champion = registry.rollback(lock.reason == null ? "manual rollback" : lock.reason);
      }
      LOG.info("Champion of {} is now {}", registry.uri(), champion);
      System.out.println(champion);
      return ExitCodes.OK;
    }
  }

  /** Prints an aligned table: VERSION, CHAMPION (*), CREATED, DECISION, PARENT, METRICS. */
  static void printTable(PrintStream out, List<VersionInfo> versions) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"VERSION", "CHAMPION", "CREATED", "DECISION", "PARENT", "METRICS"});
    for (VersionInfo v : versions) {
      rows.add(
          new String[] {
            v.version(),
            v.champion() ? "*" : "",
            v.createdAt() == null ? "-" : v.createdAt().replaceFirst("\\.\\d+Z$", "Z"),
            v.decisionValue() == null ? "-" : v.decisionValue(),
            v.parent() == null ? "-" : v.parent(),
            v.problem() != null ? "UNREADABLE: " + v.problem() : metrics(v.metrics())
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String metrics(Map<String, Double> metrics) {
    if (metrics.isEmpty()) {
      return "-";
    }
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Double> e : new TreeMap<>(metrics).entrySet()) {
      if (s.length() > 0) {
        s.append(' ');
      }
      Double value = e.getValue();
      s.append(e.getKey())
          .append('=')
          .append(value == null ? "null" : String.format(java.util.Locale.ROOT, "%.4f", value));
    }
    return s.toString();
  }
}
