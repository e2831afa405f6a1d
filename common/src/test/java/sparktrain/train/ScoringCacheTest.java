package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** Where the per-epoch scoring minibatches are cached, by the split's size against the heap. */
class ScoringCacheTest {
  private static final long GIB = 1L << 30;

  @Test
  void mnistsTestSetStaysInMemoryWithTheLaunchersHeap() {
    // 10,000 images of 784 pixels: 31 MB as float32, against 2 GiB
    assertThat(ScoringCache.level(10_000, 784, 2 * GIB)).isEqualTo(StorageLevel.MEMORY_ONLY_SER());
  }

  @Test
  void aSplitLargerThanAnEighthOfTheHeapGoesToDisk() {
    // the 22 GB table's 20% test split: 1.1M rows of 1,000 features, 4.4 GB
    assertThat(ScoringCache.level(1_100_000, 1000, 2 * GIB)).isEqualTo(StorageLevel.DISK_ONLY());
    // the boundary: 256 MiB of floats in memory, one float more on disk
    long atEighth = 2 * GIB / 8 / Float.BYTES;
    assertThat(ScoringCache.level(atEighth, 1, 2 * GIB)).isEqualTo(StorageLevel.MEMORY_ONLY_SER());
    assertThat(ScoringCache.level(atEighth + 1, 1, 2 * GIB)).isEqualTo(StorageLevel.DISK_ONLY());
  }
}
