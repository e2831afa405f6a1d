package sparktrain.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches this JVM while a job runs: its CPU time ({@code process_cpu_seconds}, all threads) and,
 * under {@code driver_heap}, its heap from the memory pool and GC MXBeans:
 *
 * <ul>
 *   <li>{@code peak_used_bytes}: the sum of each heap pool's peak usage since {@link #start()} (an
 *       upper bound of the peak heap use, garbage included);
 *   <li>{@code peak_after_gc_bytes}: the largest heap use right after a garbage collection, i.e.
 *       the most live data seen (0 if no GC ran).
 * </ul>
 *
 * In a {@code local[N]} master the executors' tasks run in the driver's JVM, so their memory is
 * counted too.
 */
public final class RunWatch implements AutoCloseable {
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final long cpuStart = processCpuNanos();
  private GcHeapListener gcListener;

  private RunWatch() {}

  /** Resets the heap pools' peaks and starts listening to garbage collections. */
  public static RunWatch start() {
    RunWatch w = new RunWatch();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    w.gcListener = GcHeapListener.start(w::onCollection);
    return w;
  }

  private void onCollection(long beforeGc, long afterGc) {
    collections.incrementAndGet();
    peakAfterGc.accumulateAndGet(afterGc, Math::max);
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * The figures so far, JSON-ready: {@code process_cpu_seconds} (NaN where the JVM does not tell)
   * and {@code driver_heap} (bytes, and the heap's maximum {@code -Xmx}).
   */
  public Map<String, Object> figures() {
    long cpuNow = processCpuNanos();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put(
        "process_cpu_seconds", cpuStart < 0 || cpuNow < 0 ? Double.NaN : (cpuNow - cpuStart) / 1e9);
    f.put("driver_heap", heap());
    return f;
  }

  private Map<String, Object> heap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peak_used_bytes", peak);
    m.put("peak_after_gc_bytes", peakAfterGc.get());
    m.put("gc_count", collections.get());
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put(
        "note",
        "driver JVM; with a local[N] master the executors' tasks run in it and are counted too");
    return m;
  }

  /** Stops listening. */
  @Override
  public void close() {
    gcListener.close();
  }
}
