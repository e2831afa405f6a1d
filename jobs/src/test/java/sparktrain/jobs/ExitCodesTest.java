package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import sparktrain.checkpoint.CheckpointCorruptException;
import sparktrain.config.ConfigException;
import sparktrain.data.DataException;
import sparktrain.errors.JobArgumentException;
import sparktrain.errors.UserInputException;
import sparktrain.lease.LeaseHeldException;
import sparktrain.registry.RegistryException;
import sparktrain.registry.RegistryLockedException;
import sparktrain.spark.SparkArgumentException;
import sparktrain.train.RunDirectoryException;

/**
 * Exit code 2 is decided by one rule, {@link UserInputException} in the cause chain: every user
 * error maps to it, wrapped or not, and every exception class of sparktrain is either a user error
 * or a failure this test names, so a new exception type cannot be left undecided.
 */
class ExitCodesTest {
  /** Exception types of sparktrain that are not user errors, each with why. */
  private static final Map<String, String> NOT_USER_ERRORS =
      Map.of(
          "sparktrain.registry.RegistryLockedException",
          "exit 3: another process holds the lock; retry later",
          "sparktrain.lease.LeaseHeldException",
          "exit 3: another command writes the output directory; retry later",
          "sparktrain.train.collective.CollectiveException",
          "a peer or the network failed during training: a runtime failure",
          "sparktrain.train.barrier.ExecutorsKilledException",
          "exit 1: the cluster kept killing the executors for their memory; the message says which"
              + " setting to raise",
          "sparktrain.data.CsvLine$MalformedException",
          "internal to the CSV reader, which reports it as a DataException naming file and line");

  @Test
  void everyUserErrorIsExitTwoWithItsOwnMessage() {
    List<UserInputException> errors =
        List.of(
            new ConfigException(List.of("training.epoch: unknown key (did you mean epochs?)")),
            new DataException("file:/d/train.csv line 3: 4 columns, expected 5"),
            new RunDirectoryException("output directory runs/x holds a run of another config"),
            new CheckpointCorruptException("runs/x/model: model.zip: SHA-256 differs"),
            new RegistryException("No model registry at runs/reg"),
            new JobArgumentException("--model runs/none: no model there"),
            new SparkArgumentException(List.of("--master lokal[2]: not a master URL")));
    for (UserInputException e : errors) {
      assertThat(ExitCodes.of(e)).as(e.getClass().getName()).isEqualTo(ExitCodes.USER_ERROR);
      assertThat(ExitCodes.message(e)).isEqualTo(e.getMessage());
      // as Spark and the jobs wrap them
      Exception wrapped =
          new SparkException("Job aborted", new UncheckedIOException(new IOException("task", e)));
      assertThat(ExitCodes.of(wrapped)).as("wrapped " + e.getClass().getName()).isEqualTo(2);
      assertThat(ExitCodes.message(wrapped)).isEqualTo(e.getMessage());
    }
  }

  @Test
  void theInnermostUserErrorNamesTheProblemAndOtherFailuresAreExitOne() {
    DataException inner = new DataException("file:/d/x.csv line 7: 'abc' is not a number");
    ConfigException outer = new ConfigException("data.path: cannot be read", inner);
    assertThat(ExitCodes.message(outer)).isEqualTo(inner.getMessage());

    IOException io = new IOException("Connection refused");
    assertThat(ExitCodes.of(new SparkException("Job aborted", io))).isEqualTo(ExitCodes.FAILURE);
    assertThat(ExitCodes.message(io)).isEqualTo(io.toString());

    RegistryLockedException locked = new RegistryLockedException("runs/reg is locked", null);
    assertThat(ExitCodes.of(new UncheckedIOException(locked))).isEqualTo(ExitCodes.LOCKED);
    assertThat(ExitCodes.message(new UncheckedIOException(locked))).isEqualTo(locked.getMessage());

    LeaseHeldException leased = new LeaseHeldException("runs/x is being written by train", null);
    assertThat(ExitCodes.of(new SparkException("x", new UncheckedIOException(leased))))
        .isEqualTo(ExitCodes.LOCKED);
  }

  @Test
  void everyExceptionTypeOfSparktrainIsAUserErrorOrANamedFailure() throws Exception {
    Map<String, Class<?>> found = new TreeMap<>();
    for (Class<?> anchor : List.of(UserInputException.class, ExitCodes.class)) {
      for (String name : classNames(anchor)) {
        Class<?> c;
        try {
          c = Class.forName(name, false, anchor.getClassLoader());
        } catch (LinkageError optionalDependencyMissing) {
          continue;
        }
        if (Throwable.class.isAssignableFrom(c)) {
          found.put(name, c);
        }
      }
    }
    List<String> undecided = new ArrayList<>();
    List<String> userErrors = new ArrayList<>();
    found.forEach(
        (name, c) -> {
          if (UserInputException.class.isAssignableFrom(c)) {
            userErrors.add(c.getSimpleName());
          } else if (!NOT_USER_ERRORS.containsKey(name)) {
            undecided.add(name);
          }
        });
    assertThat(undecided)
        .as(
            "exception types that neither extend UserInputException (exit 2) nor are listed as"
                + " failures in NOT_USER_ERRORS")
        .isEmpty();
    assertThat(found.keySet()).containsAll(NOT_USER_ERRORS.keySet());
    assertThat(userErrors)
        .contains(
            "ConfigException",
            "DataException",
            "RunDirectoryException",
            "CheckpointCorruptException",
            "RegistryException",
            "JobArgumentException",
            "SparkArgumentException");
  }

  /**
   * The names of the classes in package {@code sparktrain} where {@code anchor} was loaded from.
   */
  private static List<String> classNames(Class<?> anchor) throws IOException, URISyntaxException {
    Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where.resolve("sparktrain"))) {
        files
            .filter(p -> p.toString().endsWith(".class"))
            .forEach(p -> names.add(className(where.relativize(p).toString())));
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String entry = e.nextElement().getName();
          if (entry.startsWith("sparktrain/") && entry.endsWith(".class")) {
            names.add(className(entry));
          }
        }
      }
    }
    assertThat(names).as("classes found in " + where).isNotEmpty();
    return names;
  }

  private static String className(String file) {
    return file.substring(0, file.length() - ".class".length())
        .replace('/', '.')
        .replace('\\', '.');
  }
}
