package sparktrain.config;

/**
 * How a classification label is written in the data: {@code index} is the class index itself;
 * {@code names} are class names (any text), mapped to indexes by their sorted distinct values;
 * {@code auto} means {@code names} when any label is not a number, else {@code index}. Regression
 * targets are always numbers.
 */
public enum LabelEncoding implements ConfigEnum {
  AUTO,
  INDEX,
  NAMES;

  /** Parses a config spelling such as {@code "names"}. */
  public static LabelEncoding fromConfig(String text) {
    return ConfigEnum.parse(LabelEncoding.class, text);
  }
}
