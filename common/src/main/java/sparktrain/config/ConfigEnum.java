package sparktrain.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A closed set of config values, spelled in kebab-case in config files: {@code LEAKY_RELU} is
 * {@code "leaky-relu"}.
 */
public interface ConfigEnum {

  /** The enum constant's name (implemented by every enum). */
  String name();

  /** The spelling of this value in a config file. */
  default String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses the config spelling of a value of {@code type}.
   *
   * @throws IllegalArgumentException naming the value and the allowed spellings
   */
  static <E extends Enum<E> & ConfigEnum> E parse(Class<E> type, String text) {
    for (E value : type.getEnumConstants()) {
      if (value.configName().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not one of " + allowed(type) + " (" + type.getSimpleName() + ")");
  }

  /** The allowed spellings of {@code type}, comma-separated. */
  static <E extends Enum<E> & ConfigEnum> String allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(ConfigEnum::configName)
        .collect(Collectors.joining(", "));
  }
}
