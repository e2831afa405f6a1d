package sparktrain.model;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing without restarts, as a DL4J {@link ISchedule} (DL4J 1.0.0-M2 has none): half a
 * cosine from {@code initialValue} at t = 0 down to {@code minValue} at t = {@code period}, then
 * {@code minValue}. t is the iteration or the epoch count, per {@code scheduleType}.
 *
 * <p>It is saved with the network configuration (JSON, by class name), so it must stay
 * Jackson-readable: the constructor's parameters are the JSON properties.
 */
public final class CosineSchedule implements ISchedule {

  private final ScheduleType scheduleType;
  private final double initialValue;
  private final double minValue;
  private final int period;

  /**
   * @param period t at which {@code minValue} is reached, >= 1
   * @throws IllegalArgumentException for a period below 1
   */
  public CosineSchedule(
      @JsonProperty("scheduleType") ScheduleType scheduleType,
      @JsonProperty("initialValue") double initialValue,
      @JsonProperty("minValue") double minValue,
      @JsonProperty("period") int period) {
    if (period < 1) {
      throw new IllegalArgumentException("cosine schedule period must be >= 1, got " + period);
    }
    this.scheduleType = Objects.requireNonNull(scheduleType, "scheduleType");
    this.initialValue = initialValue;
    this.minValue = minValue;
    this.period = period;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    int t = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
    if (t >= period) {
      return minValue;
    }
    return minValue + (initialValue - minValue) * (1 + Math.cos(Math.PI * t / period)) / 2;
  }

  @Override
  public ISchedule clone() {
    return new CosineSchedule(scheduleType, initialValue, minValue, period);
  }

  public ScheduleType getScheduleType() {
    return scheduleType;
  }

  public double getInitialValue() {
    return initialValue;
  }

  public double getMinValue() {
    return minValue;
  }

  public int getPeriod() {
    return period;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosineSchedule c
        && c.scheduleType == scheduleType
        && Double.compare(c.initialValue, initialValue) == 0
        && Double.compare(c.minValue, minValue) == 0
        && c.period == period;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleType, initialValue, minValue, period);
  }

  @Override
  public String toString() {
    return "CosineSchedule(scheduleType="
        + scheduleType
        + ", initialValue="
        + initialValue
        + ", minValue="
        + minValue
        + ", period="
        + period
        + ")";
  }
}
