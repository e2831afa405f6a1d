package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The real check and binding on this machine. Which tests run depends on the build (CPU by default,
 * CUDA with -Pcuda) and on whether the machine has an NVIDIA GPU; the others are skipped with the
 * reason.
 */
class GpuBindingTest {
  @Test
  void theCpuBuildPassesTheCheckWithoutProbing() {
    assumeTrue(
        BackendKind.onClasspath() == BackendKind.CPU, "CUDA build (-Pcuda) on the classpath");

    assertThat(GpuBinding.checkBackend()).isEqualTo(BackendKind.CPU);
  }

  @Test
  void theCudaBuildWithoutGpuFailsWithTheClearMessageEveryTime() {
    assumeTrue(
        BackendKind.onClasspath() == BackendKind.CUDA,
        "CPU build: run with -Pcuda to test the CUDA build's check");
    GpuProbe probe = GpuProbe.ofThisMachine();
    assumeTrue(
        GpuCheck.problem(probe).isPresent(), "this machine can run CUDA: " + probe.summary());

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(GpuBinding::checkBackend)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("needs an NVIDIA GPU and driver")
          .hasMessageContaining(probe.host())
          .hasMessageContaining("without -Pcuda");
    }
  }

  @Test
  void bindingOutsideASparkTaskIsAnError() {
    assertThatThrownBy(GpuBinding::bindToAssignedGpu)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a Spark task");
  }

  @Test
  void onARealGpuAThreadTrainsOnTheDeviceItWasBoundTo() throws Exception {
    String whyNot = GpuTestSupport.whyNoGpu();
    assumeTrue(whyNot.isEmpty(), "no NVIDIA GPU on this machine: " + whyNot);
    assumeTrue(
        BackendKind.onClasspath() == BackendKind.CUDA,
        "CPU build: run with -Pcuda on a GPU machine to test the binding");
    assertThat(GpuBinding.checkBackend()).isEqualTo(BackendKind.CUDA);
    int last = Nd4j.getAffinityManager().getNumberOfDevices() - 1;

    AtomicReference<int[]> seen = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              GpuBinding.bind(last, "test");
              INDArray a = Nd4j.ones(4).muli(2);
              seen.set(
                  new int[] {
                    Nd4j.getAffinityManager().getDeviceForCurrentThread(),
                    Nd4j.getAffinityManager().getDeviceForArray(a),
                    (int) a.sumNumber().doubleValue()
                  });
            });
    t.start();
    t.join();

    assertThat(seen.get()).containsExactly(last, last, 8);
    assertThatThrownBy(() -> GpuBinding.bind(last + 1, "Spark GPU address 99"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ND4J sees only " + (last + 1));
  }
}
