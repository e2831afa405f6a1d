package sparktrain.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds keys that reference.conf does not define (typos, mostly) and suggests the nearest known key
 * by edit distance.
 */
final class UnknownKeys {

  private UnknownKeys() {}

  /** Adds a problem for every key of {@code config} that is not in {@code reference}. */
  static void check(ConfigObject config, ConfigObject reference, List<String> problems) {
    List<String> known = new ArrayList<>(reference.toConfig().entrySet().size());
    reference.toConfig().entrySet().forEach(e -> known.add(e.getKey()));
    walk(config, reference, List.of(), known, problems);
  }

  private static void walk(
      ConfigObject config,
      ConfigObject reference,
      List<String> parent,
      List<String> known,
      List<String> problems) {
    for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(config).entrySet()) {
      List<String> path = new ArrayList<>(parent);
      path.add(entry.getKey());
      ConfigValue value = entry.getValue();
      ConfigValue expected = reference.get(entry.getKey());
      if (expected == null) {
        reportLeaves(path, value, known, problems);
      } else if (expected.valueType() == ConfigValueType.OBJECT) {
        if (value.valueType() == ConfigValueType.OBJECT) {
          walk((ConfigObject) value, (ConfigObject) expected, path, known, problems);
        } else {
          problems.add(
              ConfigUtil.joinPath(path)
                  + " ("
                  + ConfigReader.where(value.origin())
                  + "): expected a section with keys "
                  + ((ConfigObject) expected).keySet()
                  + ", got "
                  + ConfigReader.describe(value));
        }
      }
    }
  }

  private static void reportLeaves(
      List<String> path, ConfigValue value, List<String> known, List<String> problems) {
    if (value instanceof ConfigObject object && !object.isEmpty()) {
      for (String key : new TreeSet<>(object.keySet())) {
        List<String> child = new ArrayList<>(path);
        child.add(key);
        reportLeaves(child, object.get(key), known, problems);
      }
      return;
    }
    String joined = ConfigUtil.joinPath(path);
    problems.add(
        joined
            + " ("
            + ConfigReader.where(value.origin())
            + "): unknown key"
            + suggestion(joined, known));
  }

  /**
   * {@code "; did you mean 'x'?"} for the candidate nearest to {@code key} by edit distance, else
   * the shortest one that starts with {@code key}; "" if there is none.
   */
  static String suggestion(String key, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null || bestDistance > Math.min(3, key.length() / 3)) {
      best =
          candidates.stream()
              .filter(c -> c.startsWith(key))
              .min(Comparator.comparingInt(String::length))
              .orElse(null);
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
