package sparktrain.provenance;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a {@code train} run ended, as {@code summary.json}'s {@code status} names it. */
public enum RunStatus {
  /** Every requested epoch ran; the final model is written. */
  SUCCEEDED("succeeded"),
  /** The run stopped with an error; its published checkpoints are complete. */
  FAILED("failed");

  private final String value;

  RunStatus(String value) {
    this.value = value;
  }

  /** The JSON value, as written since the first release. */
  @JsonValue
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
