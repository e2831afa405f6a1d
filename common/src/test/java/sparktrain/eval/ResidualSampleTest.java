package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The residual sample is the bottom-k of the row keys, however the partitions are merged. */
class ResidualSampleTest {
  private static ResidualSample partition(int p, int rows, int capacity) {
    ResidualSample s = new ResidualSample(capacity);
    for (int i = 0; i < rows; i++) {
      s.offer(ResidualSample.key(p, i), new double[] {p}, new double[] {i});
    }
    return s;
  }

  private static List<Long> keys(ResidualSample s) {
    return s.rows().stream().map(ResidualSample.Row::key).toList();
  }

  @Test
  void mergedPartitionSamplesEqualTheSampleOfAllRowsInAnyOrder() {
    ResidualSample all = new ResidualSample(100);
    for (int p = 0; p < 4; p++) {
      for (int i = 0; i < 1000; i++) {
        all.offer(ResidualSample.key(p, i), new double[] {p}, new double[] {i});
      }
    }
    ResidualSample forward = partition(0, 1000, 100);
    for (int p = 1; p < 4; p++) {
      forward.merge(partition(p, 1000, 100));
    }
    ResidualSample tree =
        partition(3, 1000, 100)
            .merge(partition(1, 1000, 100))
            .merge(partition(2, 1000, 100).merge(partition(0, 1000, 100)));

    assertThat(all.size()).isEqualTo(100);
    assertThat(keys(forward)).isEqualTo(keys(all));
    assertThat(keys(tree)).isEqualTo(keys(all));
    // rows are spread over the partitions, not taken from the first one
    assertThat(all.rows().stream().map(r -> r.target()[0]).distinct().count()).isEqualTo(4);
  }

  @Test
  void keepsEveryRowUnderCapacityAndNoneAtZero() {
    assertThat(partition(0, 30, 100).size()).isEqualTo(30);
    assertThat(partition(0, 30, 0).size()).isZero();
    assertThat(partition(0, 30, 0).toMap().get("rows")).isEqualTo(0);
  }

  @Test
  void keysAreDeterministicNonNegativeAndDistinct() {
    assertThat(ResidualSample.key(1, 2)).isEqualTo(ResidualSample.key(1, 2));
    assertThat(ResidualSample.key(1, 2)).isNotEqualTo(ResidualSample.key(2, 1));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int p = 0; p < 10; p++) {
      for (int i = 0; i < 1000; i++) {
        long k = ResidualSample.key(p, i);
        assertThat(k).isNotNegative();
        seen.add(k);
      }
    }
    assertThat(seen).hasSize(10_000);
  }
}
