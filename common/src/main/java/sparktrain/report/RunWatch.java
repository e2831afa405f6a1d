package sparktrain.report;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

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
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final NotificationListener listener = this::onNotification;
  private final long cpuStart = processCpuNanos();

  private RunWatch() {}

  /** Resets the heap pools' peaks and starts listening to garbage collections. */
  public static RunWatch start() {
    RunWatch w = new RunWatch();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(w.listener, null, null);
        w.emitters.add(e);
      }
    }
    return w;
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (isHeapPool(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    collections.incrementAndGet();
    peakAfterGc.accumulateAndGet(used, Math::max);
  }

  private static boolean isHeapPool(String name) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals(name)) {
        return pool.getType() == MemoryType.HEAP;
      }
    }
    return false;
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
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
    emitters.clear();
  }
}
