package sparktrain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
  private static final String KEY = "spark.executorEnv.MALLOC_MMAP_THRESHOLD_";

  @Test
  void executorsGetTheThresholdUnlessTheUserSetOne() {
    SparkConf fresh = new SparkConf(false);
    NativeAllocator.applyTo(fresh);
    SparkConf user = new SparkConf(false).set(KEY, "131072");
    NativeAllocator.applyTo(user);

    assertThat(fresh.get(KEY)).isEqualTo("2097152");
    assertThat(user.get(KEY)).isEqualTo("131072");
  }

  @Test
  void theLaunchersExportTheSameValue() throws Exception {
    for (String script : new String[] {"sparktrain", "spark-submit.sh"}) {
      assertThat(
              java.nio.file.Files.readString(java.nio.file.Path.of("..", "submit-scripts", script)))
          .as(script)
          .contains(
              "export MALLOC_MMAP_THRESHOLD_=\"${MALLOC_MMAP_THRESHOLD_:-"
                  + NativeAllocator.MMAP_THRESHOLD
                  + "}\"");
    }
  }
}
