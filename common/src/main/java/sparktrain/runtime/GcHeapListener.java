package sparktrain.runtime;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Listens to this JVM's garbage collections (the GC MXBeans' notifications) and tells a callback,
 * for each collection, how much heap was in use just before and just after it: the sum over the
 * heap memory pools. The callback runs on the JVM's notification thread.
 */
public final class GcHeapListener implements AutoCloseable {
  /** Called once per garbage collection. */
  @FunctionalInterface
  public interface Collected {
    /** Heap bytes in use (all heap pools) before and after one collection. */
    void heapUsed(long beforeGc, long afterGc);
  }

  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private final Collected callback;

  private GcHeapListener(Collected callback) {
    this.callback = callback;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
  }

  /** Starts listening; {@link #close()} stops. */
  public static GcHeapListener start(Collected callback) {
    GcHeapListener l = new GcHeapListener(callback);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(l.listener, null, null);
        l.emitters.add(emitter);
      }
    }
    return l;
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    callback.heapUsed(
        heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()),
        heapUsed(info.getGcInfo().getMemoryUsageAfterGc()));
  }

  private long heapUsed(Map<String, MemoryUsage> pools) {
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    return used;
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
