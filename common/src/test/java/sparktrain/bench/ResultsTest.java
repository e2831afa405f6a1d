package sparktrain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {
  @Test
  void steadyEpochIsTheMedianAfterTheFirst() {
    assertThat(Results.steadyEpochSeconds(List.of(40.0, 10.0, 30.0, 12.0))).isEqualTo(12.0);
    assertThat(Results.steadyEpochSeconds(List.of(40.0, 10.0, 12.0))).isEqualTo(11.0);
    assertThat(Results.steadyEpochSeconds(List.of(7.0))).isEqualTo(7.0);
  }

  @Test
  void secondsToTargetCountsEpochsUpToTheFirstAtTarget() {
    List<Double> seconds = List.of(5.0, 3.0, 2.0);
    assertThat(Results.secondsToTarget(seconds, List.of(0.95, 0.97, 0.96), 0.97)).isEqualTo(8.0);
    assertThat(Results.secondsToTarget(seconds, List.of(0.98, 0.99, 0.99), 0.97)).isEqualTo(5.0);
    assertThat(Results.secondsToTarget(seconds, List.of(0.9, 0.95, 0.969), 0.97)).isNull();
  }
}
