package sparktrain.gpu;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a machine offers the CUDA build, found without loading any CUDA library: the ND4J backend on
 * the classpath, the NVIDIA kernel driver, the user-space driver library {@code libcuda.so.1}, the
 * GPUs nvidia-smi (or {@code /proc/driver/nvidia/gpus}) lists, and {@code CUDA_VISIBLE_DEVICES}.
 * {@link GpuCheck} decides from it.
 *
 * @param host this machine's name, for messages
 * @param backend the ND4J backend on the classpath
 * @param linux whether this is Linux (the driver checks below are Linux-only; elsewhere they are
 *     left to ND4J's own check)
 * @param kernelDriver whether the NVIDIA kernel module is loaded ({@code
 *     /proc/driver/nvidia/version} exists)
 * @param driverLibrary where {@code libcuda.so.1} was found, if anywhere
 * @param searchedDirs the directories searched for it (for messages)
 * @param gpuCount number of GPUs the driver lists; empty when unknown (no nvidia-smi and no {@code
 *     /proc/driver/nvidia/gpus})
 * @param gpuSource where {@code gpuCount} or its absence comes from (for messages)
 * @param cudaVisibleDevices the {@code CUDA_VISIBLE_DEVICES} environment variable, if set
 */
public record GpuProbe(
    String host,
    BackendKind backend,
    boolean linux,
    boolean kernelDriver,
    Optional<Path> driverLibrary,
    List<String> searchedDirs,
    OptionalInt gpuCount,
    String gpuSource,
    Optional<String> cudaVisibleDevices) {

  /** The user-space CUDA driver library that ND4J's CUDA backend loads. */
  public static final String DRIVER_LIBRARY = "libcuda.so.1";

  /** Present when the NVIDIA kernel module is loaded (also inside containers). */
  static final Path KERNEL_DRIVER_FILE = Paths.get("/proc/driver/nvidia/version");

  static final Path PROC_GPUS = Paths.get("/proc/driver/nvidia/gpus");

  /** Where distributions and container runtimes put {@code libcuda.so.1}. */
  static final List<String> DEFAULT_LIBRARY_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/usr/lib/x86_64-linux-gnu/nvidia/current",
          "/usr/lib64/nvidia",
          "/usr/local/nvidia/lib64",
          "/usr/local/nvidia/lib",
          "/usr/lib/wsl/lib");

  public GpuProbe {
    searchedDirs = List.copyOf(searchedDirs);
  }

  /**
   * Probes this machine (runs {@code nvidia-smi} and {@code ldconfig -p} when the build is CUDA).
   */
  public static GpuProbe ofThisMachine() {
    BackendKind backend = BackendKind.onClasspath();
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    Optional<String> visible = Optional.ofNullable(System.getenv("CUDA_VISIBLE_DEVICES"));
    if (backend == BackendKind.CPU || !linux) {
      return new GpuProbe(
          hostName(),
          backend,
          linux,
          false,
          Optional.empty(),
          List.of(),
          OptionalInt.empty(),
          "not probed",
          visible);
    }
    List<String> dirs = libraryDirs(System.getenv("LD_LIBRARY_PATH"));
    Optional<Path> lib = findLibrary(dirs);
    if (lib.isEmpty()) {
      lib = ldconfigCache();
      dirs.add("ldconfig -p");
    }
    OptionalInt count = OptionalInt.empty();
    String source;
    NvidiaSmi.Result smi = NvidiaSmi.query();
    if (smi.answered()) {
      count = OptionalInt.of(smi.indexes().size());
      source = "nvidia-smi lists " + smi.indexes();
    } else if (Files.isDirectory(PROC_GPUS)) {
      count = OptionalInt.of(countEntries(PROC_GPUS));
      source = PROC_GPUS + " lists " + count.getAsInt() + " (" + smi.problem() + ")";
    } else {
      source = smi.problem();
    }
    return new GpuProbe(
        hostName(),
        backend,
        true,
        Files.exists(KERNEL_DRIVER_FILE),
        lib,
        dirs,
        count,
        source,
        visible);
  }

  /** A one-line summary, e.g. for a skipped test's reason. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "host %s, backend %s, kernel driver %s, %s %s, GPUs: %s%s",
        host,
        backend,
        kernelDriver ? "loaded" : "not loaded (" + KERNEL_DRIVER_FILE + " missing)",
        DRIVER_LIBRARY,
        driverLibrary.map(Path::toString).orElse("not found"),
        gpuSource,
        cudaVisibleDevices.map(v -> ", CUDA_VISIBLE_DEVICES=" + v).orElse(""));
  }

  /**
   * Directories to search for {@code libcuda.so.1}: those of {@code LD_LIBRARY_PATH} (may be null),
   * then {@link #DEFAULT_LIBRARY_DIRS}, without duplicates.
   */
  static List<String> libraryDirs(String ldLibraryPath) {
    Set<String> dirs = new LinkedHashSet<>();
    if (ldLibraryPath != null) {
      for (String d : ldLibraryPath.split(File.pathSeparator)) {
        if (!d.isBlank()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(DEFAULT_LIBRARY_DIRS);
    return new ArrayList<>(dirs);
  }

  /** The first {@code DIR/libcuda.so.1} that exists. */
  static Optional<Path> findLibrary(List<String> dirs) {
    for (String d : dirs) {
      Path p = Paths.get(d).resolve(DRIVER_LIBRARY);
      if (Files.exists(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Finds {@code libcuda.so.1} in the output of {@code ldconfig -p}, whose lines look like {@code
   * "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1"}.
   */
  static Optional<Path> parseLdconfig(String output) {
    for (String line : output.split("\\R")) {
      String t = line.strip();
      int arrow = t.indexOf("=>");
      if (t.startsWith(DRIVER_LIBRARY + " ") && arrow > 0) {
        return Optional.of(Paths.get(t.substring(arrow + 2).strip()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> ldconfigCache() {
    for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
      try {
        Path out = Files.createTempFile("sparktrain-ldconfig", ".txt");
        try {
          Process p =
              new ProcessBuilder(ldconfig, "-p")
                  .redirectErrorStream(true)
                  .redirectOutput(out.toFile())
                  .start();
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            continue;
          }
          if (p.exitValue() == 0) {
            return parseLdconfig(Files.readString(out, StandardCharsets.UTF_8));
          }
        } finally {
          Files.deleteIfExists(out);
        }
      } catch (IOException e) {
        // this ldconfig does not exist: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static int countEntries(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.count();
    } catch (IOException e) {
      return 0;
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
