package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShuffleBufferSizeTest {
  private static final long MB = 1L << 20;

  @Test
  void autoIsATenthOfTheHeapPerTaskCappedAt16MbAsFloat32() {
    ShuffleBufferSize auto = ShuffleBufferSize.auto();
    // the launcher's -Xmx2g, 2 tasks: a tenth per task is 102 MB, capped at 16 MiB / (4 * 785)
    assertThat(auto.examplesFor(784, 2048 * MB, 2)).isEqualTo(5343);
    // a small heap: a tenth of 128 MB over 2 tasks is 6.4 MB, below the cap
    assertThat(auto.examplesFor(784, 128 * MB, 2)).isEqualTo((int) (128 * MB / 10 / 2 / 3140));
    // never below 1,024 examples
    assertThat(auto.examplesFor(784, 16 * MB, 4)).isEqualTo(1024);
    // narrow rows: many more examples in the same 16 MiB
    assertThat(auto.examplesFor(30, 2048 * MB, 2)).isEqualTo((int) (16 * MB / (4 * 31)));
  }

  @Test
  void anExplicitSizeIsNotCapped() {
    assertThat(new ShuffleBufferSize(50_000, 0).examplesFor(784, 2048 * MB, 2)).isEqualTo(50_000);
    assertThat(new ShuffleBufferSize(0, 64 * MB).examplesFor(784, 2048 * MB, 2))
        .isEqualTo((int) (64 * MB / 3140));
  }
}
