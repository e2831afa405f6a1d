package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AveragingAdvisorTest {

  @Test
  void suggestsTheFrequencyThatBringsAveragingToTenPercent() {
    // 5 minibatches fit in 10 ms (2 ms each); the allreduce takes 10 ms: half of every round
    EpochFit fit = new EpochFit(0.5, 3, List.of(10.0, 10.0, 10.0), List.of(10.0, 9.0, 11.0), 1);
    assertThat(AveragingAdvisor.advise(fit, 5))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("averaging takes 50% of each round")
                    // 10 / (10 + 2 f') <= 0.1  <=>  f' >= 45
                    .contains("training.averaging-frequency = 45"));
  }

  @Test
  void staysQuietWhenAveragingIsCheapOrNotMeasured() {
    EpochFit cheap = new EpochFit(0.5, 2, List.of(100.0, 100.0), List.of(2.0, 3.0), 1);
    assertThat(AveragingAdvisor.advise(cheap, 20)).isEmpty();
    EpochFit dl4j = new EpochFit(0.5, 2, List.of(), List.of(), 2);
    assertThat(AveragingAdvisor.advise(dl4j, 20)).isEmpty();
  }
}
