package sparktrain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Real garbage collections of this JVM ({@link System#gc()}) seen by the listener and RunWatch. */
class GcHeapListenerTest {
  private static final int GARBAGE_MB = 32;

  /** Fills {@value #GARBAGE_MB} MB of heap, drops it and asks for a full collection. */
  private static void collectGarbage() {
    List<byte[]> garbage = new ArrayList<>();
    for (int i = 0; i < GARBAGE_MB; i++) {
      garbage.add(new byte[1 << 20]);
    }
    garbage.clear();
    System.gc();
  }

  @Test
  void tellsTheHeapBeforeAndAfterEachCollectionUntilClosed() throws Exception {
    List<long[]> seen = new CopyOnWriteArrayList<>();
    try (GcHeapListener listener =
        GcHeapListener.start((before, after) -> seen.add(new long[] {before, after}))) {
      collectGarbage();
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
    }
    long[] last = seen.get(seen.size() - 1);
    // the dropped garbage was in use before the full collection and is gone after it
    assertThat(last[0]).isGreaterThan(last[1]).isGreaterThan(0);
    assertThat(last[1]).isPositive();

    int afterClose = seen.size();
    collectGarbage();
    Thread.sleep(500);
    assertThat(seen).hasSize(afterClose);
  }

  @Test
  void runWatchCountsCollectionsAndTheLargestHeapAfterOne() {
    try (RunWatch watch = RunWatch.start()) {
      collectGarbage();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ((Number) heap(watch).get("gc_count")).longValue() >= 1);
      Map<String, Object> heap = heap(watch);
      long afterGc = ((Number) heap.get("peak_after_gc_bytes")).longValue();
      assertThat(afterGc).isPositive();
      // after a collection less is in use than at the heap's peak, garbage included
      assertThat(((Number) heap.get("peak_used_bytes")).longValue()).isGreaterThan(afterGc);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> heap(RunWatch watch) {
    return (Map<String, Object>) watch.figures().get("driver_heap");
  }
}
