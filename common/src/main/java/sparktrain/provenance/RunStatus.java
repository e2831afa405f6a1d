package sparktrain.provenance;

import com.fasterxml.jackson.annotation.JsonValue;
import sparktrain.config.ConfigEnum;

/** How a {@code train} run ended, as {@code summary.json}'s {@code status} names it. */
public enum RunStatus implements ConfigEnum {
  /** Every requested epoch ran; the final model is written. */
  SUCCEEDED,
  /** The run stopped with an error; its published checkpoints are complete. */
  FAILED;

  /** The JSON value (the constant in kebab-case), as written since the first release. */
  @JsonValue
  public String value() {
    return configName();
  }
}
