package sparktrain.gpu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Facts about the test machine, for assumptions. */
final class GpuTestSupport {
  private GpuTestSupport() {}

  static boolean nvidiaSmiOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "nvidia-smi"))) {
        return true;
      }
    }
    return false;
  }

  /** Empty when this machine has a usable NVIDIA GPU, else why not (for a skip reason). */
  static String whyNoGpu() {
    NvidiaSmi.Result smi = NvidiaSmi.query();
    if (!smi.answered()) {
      return smi.problem();
    }
    return smi.indexes().isEmpty() ? "nvidia-smi lists no GPU" : "";
  }
}
