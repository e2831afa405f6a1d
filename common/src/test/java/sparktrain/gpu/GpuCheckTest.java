package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The "can this machine run the CUDA build" decision, from hand-made probes: no GPU needed. */
class GpuCheckTest {
  private static final Path LIBCUDA = Paths.get("/usr/lib/x86_64-linux-gnu/libcuda.so.1");
  private static final List<String> SEARCHED = List.of("/opt/lib", "/usr/lib64");

  /** A Linux machine with a CUDA build and everything present, two GPUs. */
  private static GpuProbe gpuMachine() {
    return new GpuProbe(
        "gpu-node-7",
        BackendKind.CUDA,
        true,
        true,
        Optional.of(LIBCUDA),
        SEARCHED,
        OptionalInt.of(2),
        "nvidia-smi lists [0, 1]",
        Optional.empty());
  }

  private static GpuProbe with(
      BackendKind backend, boolean kernel, Optional<Path> lib, OptionalInt gpus, String visible) {
    GpuProbe g = gpuMachine();
    return new GpuProbe(
        g.host(),
        backend,
        true,
        kernel,
        lib,
        g.searchedDirs(),
        gpus,
        gpus.isPresent() ? "nvidia-smi lists " + gpus.getAsInt() : "nvidia-smi not found",
        Optional.ofNullable(visible));
  }

  @Test
  void aMachineWithDriverAndGpusPasses() {
    assertThat(GpuCheck.problem(gpuMachine())).isEmpty();
    GpuCheck.require(gpuMachine());
  }

  @Test
  void theCpuBuildNeedsNothing() {
    GpuProbe bare = with(BackendKind.CPU, false, Optional.empty(), OptionalInt.of(0), "");

    assertThat(GpuCheck.problem(bare)).isEmpty();
  }

  @Test
  void noDriverAtAllFailsNamingTheHostWhatIsMissingAndTheCpuBuild() {
    GpuProbe p = with(BackendKind.CUDA, false, Optional.empty(), OptionalInt.empty(), null);

    assertThatThrownBy(() -> GpuCheck.require(p))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CUDA build")
        .hasMessageContaining("needs an NVIDIA GPU and driver")
        .hasMessageContaining("gpu-node-7")
        .hasMessageContaining("/proc/driver/nvidia/version")
        .hasMessageContaining("libcuda.so.1 is not in [/opt/lib, /usr/lib64]")
        .hasMessageContaining("nvidia-smi not found")
        .hasMessageContaining("CPU build")
        .hasMessageContaining("./mvnw -B -DskipTests package")
        .hasMessageContaining("without -Pcuda");
  }

  @Test
  void aLoadedKernelModuleWithoutLibcudaPointsAtLdLibraryPath() {
    GpuProbe p = with(BackendKind.CUDA, true, Optional.empty(), OptionalInt.of(1), null);

    assertThat(GpuCheck.problem(p))
        .get()
        .asString()
        .contains("libcuda.so.1 is not in [/opt/lib, /usr/lib64]")
        .contains("LD_LIBRARY_PATH");
  }

  @Test
  void libcudaWithoutTheKernelModuleIsNoDriver() {
    GpuProbe p = with(BackendKind.CUDA, false, Optional.of(LIBCUDA), OptionalInt.empty(), null);

    assertThat(GpuCheck.problem(p))
        .get()
        .asString()
        .contains("kernel module is not loaded")
        .contains(LIBCUDA.toString());
  }

  @Test
  void aDriverListingNoGpuFails() {
    GpuProbe p = with(BackendKind.CUDA, true, Optional.of(LIBCUDA), OptionalInt.of(0), null);

    assertThat(GpuCheck.problem(p)).get().asString().contains("lists no GPU");
  }

  @Test
  void anUnknownGpuCountIsLeftToNd4jsOwnCheck() {
    GpuProbe p = with(BackendKind.CUDA, true, Optional.of(LIBCUDA), OptionalInt.empty(), null);

    assertThat(GpuCheck.problem(p)).isEmpty();
  }

  @Test
  void cudaVisibleDevicesHidingEverythingFails() {
    for (String hidden : List.of("", " ", "-1", "-1,0")) {
      GpuProbe p = with(BackendKind.CUDA, true, Optional.of(LIBCUDA), OptionalInt.of(2), hidden);
      assertThat(GpuCheck.problem(p))
          .as("CUDA_VISIBLE_DEVICES='%s'", hidden)
          .get()
          .asString()
          .contains("CUDA_VISIBLE_DEVICES='" + hidden + "' hides every GPU");
    }
    GpuProbe some = with(BackendKind.CUDA, true, Optional.of(LIBCUDA), OptionalInt.of(2), "1");
    assertThat(GpuCheck.problem(some)).isEmpty();
  }

  @Test
  void otherSystemsAreLeftToNd4jsOwnCheck() {
    GpuProbe g = gpuMachine();
    GpuProbe windows =
        new GpuProbe(
            g.host(),
            BackendKind.CUDA,
            false,
            false,
            Optional.empty(),
            List.of(),
            OptionalInt.empty(),
            "not probed",
            Optional.empty());

    assertThat(GpuCheck.problem(windows)).isEmpty();
  }
}
