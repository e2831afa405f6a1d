package sparktrain.eval;

import java.util.Locale;

/** Which split of the config's {@code data} section a job scores. */
public enum Split {
  /** {@code data.train}. */
  TRAIN,
  /** {@code data.test} (the default of evaluate and predict). */
  TEST;

  /** Lower-case name, as in the config ({@code train}, {@code test}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
