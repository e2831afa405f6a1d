package sparktrain.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.Pointer;
import sparktrain.provenance.Versions;

/** The machine and software a benchmark ran on, for {@code benchmark.json}'s {@code machine}. */
final class MachineInfo {
  private MachineInfo() {}

  static Map<String, Object> collect(SparkSession spark) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_bytes", totalMemory());
    m.put("cpu", cpuModel().orElse("unknown"));
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("javacpp_max_bytes", Pointer.maxBytes());
    m.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes());
    m.put("omp_num_threads", Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).orElse("unset"));
    m.put("spark_master", spark.sparkContext().master());
    m.put("spark_default_parallelism", spark.sparkContext().defaultParallelism());
    m.put(
        "load_average_at_start",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    m.put("started_at", Instant.now().toString());
    m.put("versions", Versions.all());
    return m;
  }

  private static long totalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  private static Optional<String> cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Optional.empty();
    }
    try (var lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
