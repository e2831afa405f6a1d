package sparktrain.provenance;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a retrain decided ({@code summary.json}'s {@code decision}) or a registration recorded (the
 * {@code decision} of a registry version's decision info), by the JSON value written since the
 * first release.
 */
public enum RetrainDecision {
  /** The challenger became the champion (or a first version was registered as champion). */
  PROMOTED("promoted"),
  /** The challenger was registered, the champion was kept. */
  KEPT_CHAMPION("kept-champion"),
  /** No training input was new since the last retrain: nothing was trained or changed. */
  NO_NEW_DATA("no-new-data"),
  /** The retrain failed; the champion and its pointer are as they were. */
  FAILED("failed"),
  /**
   * {@code train --register} added a version beside an existing champion; recorded in the registry
   * only, never a retrain's decision.
   */
  REGISTERED("registered");

  private final String value;

  RetrainDecision(String value) {
    this.value = value;
  }

  /** The JSON value. */
  @JsonValue
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
