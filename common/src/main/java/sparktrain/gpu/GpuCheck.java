package sparktrain.gpu;

import java.util.Optional;

/**
 * Decides from a {@link GpuProbe} whether this machine can run the build's ND4J backend, before
 * ND4J is touched: the CUDA build where there is no NVIDIA driver or GPU would otherwise fail deep
 * inside ND4J's native initialization with a message that does not say what to do.
 */
public final class GpuCheck {
  /** How to get the build that needs no GPU; part of every "no GPU" message. */
  public static final String USE_CPU_BUILD =
      "On machines without NVIDIA GPUs use the CPU build instead: build it with"
          + " './mvnw -B -DskipTests package' (without -Pcuda) and submit"
          + " jobs/target/sparktrain-jobs-VERSION-LINE-all.jar.";

  private GpuCheck() {}

  /**
   * Why the probed machine cannot run the CUDA build, or empty if it can (or the build is the CPU
   * one, or the probe could not tell: then ND4J's own check decides).
   */
  public static Optional<String> problem(GpuProbe p) {
    if (p.backend() != BackendKind.CUDA || !p.linux()) {
      return Optional.empty();
    }
    String intro =
        "The CUDA build of sparktrain (ND4J backend nd4j-cuda-11.6) needs an NVIDIA GPU and"
            + " driver, but on host "
            + p.host()
            + " ";
    if (!p.kernelDriver() && p.driverLibrary().isEmpty()) {
      return Optional.of(
          intro
              + "there is no NVIDIA driver: the kernel module is not loaded ("
              + GpuProbe.KERNEL_DRIVER_FILE
              + " is missing) and "
              + GpuProbe.DRIVER_LIBRARY
              + " is not in "
              + p.searchedDirs()
              + "; "
              + p.gpuSource()
              + ". "
              + USE_CPU_BUILD);
    }
    if (!p.kernelDriver()) {
      return Optional.of(
          intro
              + "the NVIDIA kernel module is not loaded ("
              + GpuProbe.KERNEL_DRIVER_FILE
              + " is missing; "
              + GpuProbe.DRIVER_LIBRARY
              + " at "
              + p.driverLibrary().get()
              + " alone, e.g. CUDA's compat library, is no driver). "
              + USE_CPU_BUILD);
    }
    if (p.driverLibrary().isEmpty()) {
      return Optional.of(
          intro
              + "the NVIDIA driver's user-space library "
              + GpuProbe.DRIVER_LIBRARY
              + " is not in "
              + p.searchedDirs()
              + " although the kernel module is loaded: add its directory to LD_LIBRARY_PATH"
              + " (spark.executorEnv.LD_LIBRARY_PATH on executors). "
              + USE_CPU_BUILD);
    }
    if (p.gpuCount().isPresent() && p.gpuCount().getAsInt() == 0) {
      return Optional.of(
          intro + "the driver lists no GPU (" + p.gpuSource() + "). " + USE_CPU_BUILD);
    }
    if (p.cudaVisibleDevices().isPresent() && hidesAll(p.cudaVisibleDevices().get())) {
      return Optional.of(
          intro
              + "CUDA_VISIBLE_DEVICES='"
              + p.cudaVisibleDevices().get()
              + "' hides every GPU from CUDA: unset it or list the GPUs to use. "
              + USE_CPU_BUILD);
    }
    return Optional.empty();
  }

  /**
   * Throws if the probed machine cannot run the CUDA build.
   *
   * @throws IllegalStateException with {@link #problem}'s message
   */
  public static void require(GpuProbe p) {
    Optional<String> problem = problem(p);
    if (problem.isPresent()) {
      throw new IllegalStateException(problem.get());
    }
  }

  /** CUDA sees no device when the variable is empty or starts with an invalid entry like -1. */
  static boolean hidesAll(String cudaVisibleDevices) {
    String first = cudaVisibleDevices.split(",", -1)[0].strip();
    return first.isEmpty() || first.startsWith("-");
  }
}
