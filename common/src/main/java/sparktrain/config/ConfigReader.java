package sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import sparktrain.config.ConfigKeys.Key;

/**
 * Reads typed values from a config, checking each against its {@link Key#range()}. A bad value does
 * not stop reading: it adds a problem ({@code key (origin): expected ..., got ...}) and yields a
 * placeholder, so that all problems can be reported at once.
 */
final class ConfigReader {

  private final Config config;
  private final String prefix;
  private final ConfigOrigin origin;
  private final List<String> problems;
  private final Set<String> failed = new HashSet<>();

  /**
   * A reader of {@code config}, whose keys are shown with {@code prefix} (e.g. {@code
   * model.layers[1].}); {@code origin} is where a missing key is reported.
   */
  ConfigReader(Config config, String prefix, ConfigOrigin origin, List<String> problems) {
    this.config = config;
    this.prefix = prefix;
    this.origin = origin;
    this.problems = problems;
  }

  boolean has(Key key) {
    return config.hasPath(key.path());
  }

  /** Whether {@code key} gave no problem so far. */
  boolean ok(Key key) {
    return !failed.contains(key.path());
  }

  /** Whether no value gave a problem so far. */
  boolean clean() {
    return failed.isEmpty();
  }

  /** The full name of {@code key} as shown in problems, e.g. {@code model.layers[2].units}. */
  String name(Key key) {
    return prefix + key.path();
  }

  /** Reports a problem with the value at {@code key} (or with the missing key). */
  void problem(Key key, String message) {
    failed.add(key.path());
    ConfigOrigin at = has(key) ? config.getValue(key.path()).origin() : origin;
    problems.add(prefix + key.path() + " (" + where(at) + "): " + message);
  }

  /**
   * Reports a problem with {@code key} at the origin of {@code at}: for a value that only the
   * reference default gives, where the setting that requires it was made.
   */
  void problemAt(Key key, Key at, String message) {
    failed.add(key.path());
    ConfigOrigin origin = has(at) ? config.getValue(at.path()).origin() : this.origin;
    problems.add(prefix + key.path() + " (" + where(origin) + "): " + message);
  }

  /** Whether the value at {@code key} is the reference default (not set by a file or --set). */
  boolean isDefault(Key key) {
    if (!has(key)) {
      return false;
    }
    ConfigOrigin at = config.getValue(key.path()).origin();
    String source = at.url() != null ? at.url().toString() : at.resource();
    return source != null && source.endsWith(ConfigLoader.REFERENCE_RESOURCE);
  }

  /** Reports {@code key} as missing unless present; returns whether it is present. */
  boolean require(Key key, String why) {
    if (has(key)) {
      return true;
    }
    problem(key, "missing; required " + why);
    return false;
  }

  String string(Key key) {
    String value = read(key, "a string", Config::getString);
    return value == null ? "" : value;
  }

  /** A list of strings; numbers in it are read as their text (so [a, 3] is ["a", "3"]). */
  List<String> stringList(Key key) {
    List<String> value = read(key, "a list of strings", Config::getStringList);
    return value == null ? List.of() : List.copyOf(value);
  }

  int integer(Key key) {
    return (int) whole(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  long longInteger(Key key) {
    return whole(key, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  double decimal(Key key) {
    Double value = read(key, "a number", Config::getDouble);
    if (value == null) {
      return 0;
    }
    if (!Double.isFinite(value)) {
      problem(key, "expected a finite number, got " + value);
      return 0;
    }
    return inRange(key, value) ? value : 0;
  }

  boolean bool(Key key) {
    Boolean value = read(key, "a boolean (true or false)", Config::getBoolean);
    return value != null && value;
  }

  Duration duration(Key key) {
    Duration value = read(key, "a duration such as 10s or 500ms", Config::getDuration);
    if (value == null) {
      return Duration.ZERO;
    }
    return inRange(key, value.toMillis()) ? value : Duration.ZERO;
  }

  /**
   * An integer (for both) or a list {@code [height, width]} of two integers, each in the key's
   * range; null after reporting a problem.
   */
  Size2D size2D(Key key) {
    String expected = "an integer or a list [height, width] of two integers";
    if (!has(key)) {
      problem(key, "missing; expected " + expected);
      return null;
    }
    ConfigValue value = config.getValue(key.path());
    List<Object> parts;
    if (value.valueType() == ConfigValueType.NUMBER) {
      parts = List.of(value.unwrapped(), value.unwrapped());
    } else if (value.valueType() == ConfigValueType.LIST) {
      parts = config.getList(key.path()).unwrapped();
    } else {
      parts = List.of();
    }
    boolean integers = parts.size() == 2;
    for (Object part : parts) {
      integers &=
          part instanceof Number n
              && n.doubleValue() == Math.rint(n.doubleValue())
              && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE;
    }
    if (!integers) {
      problem(key, "expected " + expected + ", got " + describe(value));
      return null;
    }
    int height = ((Number) parts.get(0)).intValue();
    int width = ((Number) parts.get(1)).intValue();
    if (key.range() != null && !(key.range().contains(height) && key.range().contains(width))) {
      problem(key, "expected values " + key.range() + ", got " + rendered(key));
      return null;
    }
    return new Size2D(height, width);
  }

  /** The enum value spelled at {@code key}, or null after reporting a bad spelling. */
  <E extends Enum<E> & ConfigEnum> E oneOf(Key key, Class<E> type) {
    String text = read(key, "one of " + ConfigEnum.allowed(type), Config::getString);
    if (text == null) {
      return null;
    }
    try {
      return ConfigEnum.parse(type, text);
    } catch (IllegalArgumentException e) {
      problem(key, "expected one of " + ConfigEnum.allowed(type) + ", got '" + text + "'");
      return null;
    }
  }

  private long whole(Key key, long min, long max) {
    Number number = read(key, "an integer", Config::getNumber);
    if (number == null) {
      return 0;
    }
    double value = number.doubleValue();
    if (value != Math.rint(value)) {
      problem(key, "expected an integer, got " + rendered(key));
      return 0;
    }
    if (value < min || value > max) {
      problem(key, "expected an integer in [" + min + ", " + max + "], got " + rendered(key));
      return 0;
    }
    return inRange(key, value) ? number.longValue() : 0;
  }

  private boolean inRange(Key key, double value) {
    if (key.range() == null || key.range().contains(value)) {
      return true;
    }
    problem(key, "expected a value " + key.range() + ", got " + rendered(key));
    return false;
  }

  /** Reads with a Typesafe getter; a missing or ill-typed value becomes a problem and null. */
  private <T> T read(Key key, String expected, Getter<T> getter) {
    if (!has(key)) {
      problem(key, "missing; expected " + expected);
      return null;
    }
    try {
      return getter.get(config, key.path());
    } catch (com.typesafe.config.ConfigException e) {
      problem(key, "expected " + expected + ", got " + describe(config.getValue(key.path())));
      return null;
    }
  }

  private String rendered(Key key) {
    return config.getValue(key.path()).render(ConfigRenderOptions.concise());
  }

  /** A value for a message: its type and its text, e.g. {@code string "five"}. */
  static String describe(ConfigValue value) {
    return value.valueType().name().toLowerCase(Locale.ROOT)
        + " "
        + value.render(ConfigRenderOptions.concise());
  }

  /**
   * Where a value came from: {@code file:line} for files and resources, {@code --set key=value} for
   * command-line values.
   */
  static String where(ConfigOrigin origin) {
    if (origin == null) {
      return "unknown origin";
    }
    String name = origin.filename();
    if (name == null && origin.url() != null) {
      name = lastSegment(origin.url().getPath());
    }
    if (name == null && origin.resource() != null) {
      name = lastSegment(origin.resource());
    }
    if (name == null) {
      return origin.description().replaceFirst(": \\d+(-\\d+)?$", "");
    }
    return origin.lineNumber() > 0 ? name + ":" + origin.lineNumber() : name;
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A Typesafe getter such as {@link Config#getString}. */
  @FunctionalInterface
  private interface Getter<T> {
    T get(Config config, String path);
  }
}
