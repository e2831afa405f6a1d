package sparktrain.provenance;

import com.fasterxml.jackson.annotation.JsonValue;
import sparktrain.config.ConfigEnum;

/**
 * What a retrain decided ({@code summary.json}'s {@code decision}) or a registration recorded (the
 * {@code decision} of a registry version's decision info), by the JSON value written since the
 * first release.
 */
public enum RetrainDecision implements ConfigEnum {
  /** The challenger became the champion (or a first version was registered as champion). */
  PROMOTED,
  /** The challenger was registered, the champion was kept. */
  KEPT_CHAMPION,
  /** No training input was new since the last retrain: nothing was trained or changed. */
  NO_NEW_DATA,
  /** The retrain failed; the champion and its pointer are as they were. */
  FAILED,
  /**
   * {@code train --register} added a version beside an existing champion; recorded in the registry
   * only, never a retrain's decision.
   */
  REGISTERED;

  /** The JSON value (the constant in kebab-case), as written since the first release. */
  @JsonValue
  public String value() {
    return configName();
  }
}
