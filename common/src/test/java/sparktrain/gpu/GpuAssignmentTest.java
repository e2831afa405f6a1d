package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** Choosing the CUDA device from a task's Spark resources: no GPU needed. */
class GpuAssignmentTest {
  private static Map<String, ResourceInformation> gpus(String... addresses) {
    return Map.of(
        "gpu", new ResourceInformation("gpu", addresses),
        "fpga", new ResourceInformation("fpga", new String[] {"7"}));
  }

  @Test
  void usesTheAssignedGpuNotAlwaysGpuZero() {
    GpuAssignment a = GpuAssignment.of(gpus("1"), null).orElseThrow();

    assertThat(a.device()).isEqualTo(1);
    assertThat(a.address()).isEqualTo("1");
    assertThat(a.describe()).isEqualTo("Spark GPU address 1 -> CUDA device 1");
  }

  @Test
  void aTaskWithSeveralGpusTrainsOnTheFirstAndTheLogSaysSo() {
    GpuAssignment a = GpuAssignment.of(gpus("3", "2"), "").orElseThrow();

    assertThat(a.device()).isEqualTo(3);
    assertThat(a.addresses()).containsExactly("3", "2");
    assertThat(a.describe()).contains("CUDA device 3").contains("[3, 2]");
  }

  @Test
  void noGpuResourceMeansNoAssignment() {
    assertThat(GpuAssignment.of(null, null)).isEmpty();
    assertThat(GpuAssignment.of(Map.of(), null)).isEmpty();
    assertThat(GpuAssignment.of(gpus(), null)).isEmpty();
    assertThat(
            GpuAssignment.of(
                Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"})), null))
        .isEmpty();
  }

  @Test
  void cudaVisibleDevicesRenumbersTheDevices() {
    assertThat(GpuAssignment.of(gpus("3"), "2,3").orElseThrow().device()).isEqualTo(1);
    assertThat(GpuAssignment.of(gpus("2"), " 2 , 3 ").orElseThrow().device()).isZero();
    assertThat(GpuAssignment.device("5", "5")).isZero();
  }

  @Test
  void aGpuHiddenByCudaVisibleDevicesIsAnError() {
    assertThatThrownBy(() -> GpuAssignment.of(gpus("1"), "2,3"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Spark assigned GPU 1")
        .hasMessageContaining("CUDA_VISIBLE_DEVICES=2,3");
  }

  @Test
  void cudaVisibleDevicesByUuidCannotBeMatched() {
    assertThatThrownBy(() -> GpuAssignment.device("0", "GPU-8a9c1e2f,GPU-77aa"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CUDA_VISIBLE_DEVICES=GPU-8a9c1e2f,GPU-77aa")
        .hasMessageContaining("'GPU-8a9c1e2f'");
  }

  @Test
  void anAddressThatIsNoIndexNamesItAndTheExpectedFormat() {
    for (String bad : new String[] {"GPU-8a9c1e2f", "-1", "", "1.0", "99999999999"}) {
      assertThatThrownBy(() -> GpuAssignment.of(gpus(bad), null))
          .as("address '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("gpu-discovery.sh");
    }
  }
}
