package sparktrain.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for config tests: job files in a temp dir, the required data paths as --set. */
final class TestConfigs {

  /** The four data paths, required by the default format (idx). */
  static final List<String> PATHS =
      List.of(
          "data.train.images=train-images",
          "data.train.labels=train-labels",
          "data.test.images=test-images",
          "data.test.labels=test-labels");

  private TestConfigs() {}

  /** The data paths followed by {@code more}. */
  static List<String> sets(String... more) {
    List<String> sets = new ArrayList<>(PATHS);
    sets.addAll(List.of(more));
    return sets;
  }

  /** Writes {@code text} to {@code dir/job.conf} (line 1 is the first line of text). */
  static String write(Path dir, String text) {
    try {
      return Files.writeString(dir.resolve("job.conf"), text).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads {@code text} as a job file (with the data paths set) and returns the expected error. */
  static ConfigException error(Path dir, String text, String... sets) {
    String file = write(dir, text);
    return assertThrows(
        ConfigException.class, () -> ConfigLoader.load(file, TestConfigs.sets(sets)));
  }

  /** Loads {@code text} as a job file with the data paths set. */
  static JobConfig load(Path dir, String text, String... sets) {
    return ConfigLoader.load(write(dir, text), TestConfigs.sets(sets));
  }
}
