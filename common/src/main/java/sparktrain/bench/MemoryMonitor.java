package sparktrain.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import sparktrain.runtime.GcHeapListener;

/**
 * Watches this JVM's memory while a competitor runs, sampling every 50 ms: the peak of used heap
 * (the heap is fullest just before a collection, so every GC notification's before-GC usage counts
 * too), the peak resident set size of the process ({@link Pointer#physicalBytes()}), the peak of
 * off-heap memory as resident size minus committed heap (ND4J's arrays, which libnd4j allocates
 * itself, plus the JVM's own native memory and Spark's direct buffers), and the peak of what
 * JavaCPP tracks ({@link Pointer#totalBytes()}; ND4J's array buffers are not among it). In {@code
 * local[N]} the executors are this JVM too.
 */
final class MemoryMonitor implements AutoCloseable {
  private static final long SAMPLE_MILLIS = 50;

  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong peakOffHeap = new AtomicLong();
  private final AtomicLong peakJavacpp = new AtomicLong();
  private final AtomicLong peakRss = new AtomicLong();
  private final Thread sampler;
  private GcHeapListener gcListener;
  private volatile boolean running = true;

  private MemoryMonitor() {
    sampler = new Thread(this::sampleLoop, "benchmark-memory-monitor");
    sampler.setDaemon(true);
  }

  /** Starts watching. */
  static MemoryMonitor start() {
    MemoryMonitor m = new MemoryMonitor();
    m.gcListener =
        GcHeapListener.start(
            (beforeGc, afterGc) -> m.peakHeap.accumulateAndGet(beforeGc, Math::max));
    m.sample();
    m.sampler.start();
    return m;
  }

  private void sampleLoop() {
    while (running) {
      sample();
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long rss = Pointer.physicalBytes();
    peakHeap.accumulateAndGet(heap.getUsed(), Math::max);
    peakRss.accumulateAndGet(rss, Math::max);
    peakOffHeap.accumulateAndGet(rss - heap.getCommitted(), Math::max);
    peakJavacpp.accumulateAndGet(Pointer.totalBytes(), Math::max);
  }

  /** Peak used heap bytes so far. */
  long peakHeapBytes() {
    return peakHeap.get();
  }

  /** Peak of resident size minus committed heap so far: native memory, ND4J's arrays included. */
  long peakOffHeapBytes() {
    return peakOffHeap.get();
  }

  /** Peak bytes JavaCPP tracks as allocated through it so far. */
  long peakJavacppBytes() {
    return peakJavacpp.get();
  }

  /** Peak resident set size of the process so far. */
  long peakRssBytes() {
    return peakRss.get();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    try {
      sampler.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
    gcListener.close();
  }
}
