package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochHeadlineTest {
  @Test
  void namesEachMetricWithTheSplitItCameFrom() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", 0.07712);
    m.put("accuracy", 0.97641);
    assertThat(TrainJob.headline("validation", m))
        .isEqualTo("validation accuracy 0.9764  validation loss 0.0771")
        .doesNotContain("test");
    assertThat(TrainJob.headline(m)).isEqualTo("test accuracy 0.9764  test loss 0.0771");
    assertThat(TrainJob.headline("validation", Map.of())).isEqualTo("not evaluated");
  }
}
