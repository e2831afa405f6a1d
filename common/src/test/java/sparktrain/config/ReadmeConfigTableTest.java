package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's config tables ("## Config" and "### Retraining config") in step with {@code
 * reference.conf}, as {@link ConfigKeysTest} does for {@link ConfigKeys}: every key a table names
 * exists, every default it states is reference.conf's, and every key of the sections the tables
 * cover in full is in a table.
 */
class ReadmeConfigTableTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)*");
  private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9._-]+|\\{}");

  /** Sections whose every key the README lists (the rest: "documented in reference.conf"). */
  private static final List<String> LISTED_IN_FULL =
      List.of("training.", "checkpoint.", "retrain.");

  /** One row of a config table: the keys of its first cell and its default cell. */
  record Row(String line, List<String> keys, String defaults) {}

  @Test
  void everyKeyInTheTablesExistsWithTheDefaultTheyState() throws IOException {
    Config reference = ConfigLoader.reference();
    List<Row> rows = tableRows();
    assertThat(rows).hasSizeGreaterThan(30);

    SoftAssertions soft = new SoftAssertions();
    for (Row row : rows) {
      for (String key : row.keys()) {
        soft.assertThat(reference.hasPathOrNull(key))
            .as("README row %s names %s, which reference.conf does not have", row.line(), key)
            .isTrue();
      }
      List<String> stated = statedDefaults(row);
      for (int i = 0; i < stated.size(); i++) {
        String key = row.keys().get(i);
        if (reference.hasPath(key)) {
          soft.assertThat(same(stated.get(i), reference.getValue(key)))
              .as(
                  "README says %s defaults to %s; reference.conf has %s",
                  key, stated.get(i), reference.getValue(key).render())
              .isTrue();
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void everyKeyOfTheFullyListedSectionsIsInATable() throws IOException {
    Set<String> inReadme = new TreeSet<>();
    tableRows().forEach(r -> inReadme.addAll(r.keys()));
    Set<String> missing = new TreeSet<>();
    for (var e : ConfigLoader.reference().entrySet()) {
      String key = e.getKey();
      boolean listed = LISTED_IN_FULL.stream().anyMatch(key::startsWith);
      boolean covered = inReadme.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + "."));
      if (listed && !covered) {
        missing.add(key);
      }
    }
    assertThat(missing).as("reference.conf keys missing from README's config tables").isEmpty();
  }

  @Test
  void aWrongDefaultIsCaught() {
    Config reference = ConfigLoader.reference();
    assertThat(same("7", reference.getValue("training.epochs"))).isFalse();
    assertThat(same("5", reference.getValue("training.epochs"))).isTrue();
    assertThat(same("barrier", reference.getValue("training.engine"))).isTrue();
  }

  /** The stated defaults, one per key, when the default cell gives plain values for all keys. */
  private static List<String> statedDefaults(Row row) {
    String cell = row.defaults().replace("`", "").trim();
    if (cell.isEmpty()) {
      return List.of();
    }
    List<String> values = List.of(cell.split("\\s*,\\s*"));
    if (values.size() != row.keys().size()
        || !values.stream().allMatch(v -> PLAIN_VALUE.matcher(v).matches())) {
      return List.of(); // prose such as "feed-forward 784": not checked
    }
    return values;
  }

  private static boolean same(String stated, ConfigValue actual) {
    if (actual.valueType() == ConfigValueType.OBJECT) {
      return stated.equals("{}") && ((com.typesafe.config.ConfigObject) actual).isEmpty();
    }
    String value = String.valueOf(actual.unwrapped());
    if (actual.valueType() == ConfigValueType.NUMBER) {
      try {
        return Double.parseDouble(stated) == Double.parseDouble(value);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return stated.equals(value);
  }

  private static List<Row> tableRows() throws IOException {
    List<Row> rows = new ArrayList<>();
    boolean inConfigSection = false;
    for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
      if (line.startsWith("#")) {
        inConfigSection = line.equals("## Config") || line.startsWith("### Retraining config");
        continue;
      }
      if (!inConfigSection || !line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("(?<!\\\\)\\|");
      List<String> keys = new ArrayList<>();
      Matcher m = CODE.matcher(cells[1]);
      while (m.find()) {
        if (KEY.matcher(m.group(1)).matches()) {
          keys.add(m.group(1));
        }
      }
      rows.add(new Row(line.substring(0, Math.min(60, line.length())), keys, cells[2]));
    }
    return rows;
  }
}
