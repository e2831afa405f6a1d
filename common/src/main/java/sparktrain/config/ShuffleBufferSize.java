package sparktrain.config;

import java.io.Serializable;

/**
 * The size of each worker's shuffle buffer ({@code training.shuffle-buffer}): a number of examples,
 * a number of bytes, or {@code auto} (both 0: a tenth of the worker JVM's heap, shared by the
 * training tasks of that JVM, at most {@link #AUTO_CAP_BYTES} per task).
 *
 * <p>Why the cap: the spool is shuffled in full when it is written, so the buffer only varies the
 * order from epoch to epoch (with the block order); a buffer much larger than the CPU's caches
 * makes every draw a cache miss. Measured on MNIST (60,000 images, 2 workers): a buffer holding
 * each worker's whole share (30,000 images, 23 MB) trained at 86-94% of the in-memory path's speed,
 * one of 4,096 images at the in-memory path's speed, to the same accuracy.
 */
public record ShuffleBufferSize(long examples, long bytes) implements Serializable {
  /** The most {@code auto} gives one task: 16 MiB counted as float32 (about 5,300 MNIST images). */
  public static final long AUTO_CAP_BYTES = 16L << 20;

  /** The default: sized from the heap. */
  public static ShuffleBufferSize auto() {
    return new ShuffleBufferSize(0, 0);
  }

  /** Whether the size is derived from the heap. */
  public boolean isAuto() {
    return examples == 0 && bytes == 0;
  }

  /**
   * The capacity in examples for rows of {@code width} features, when {@code tasksPerJvm} training
   * tasks share a heap of {@code maxHeap} bytes.
   */
  public int examplesFor(int width, long maxHeap, int tasksPerJvm) {
    if (examples > 0) {
      return (int) Math.min(Integer.MAX_VALUE, examples);
    }
    long budget =
        bytes > 0 ? bytes : Math.min(AUTO_CAP_BYTES, maxHeap / 10 / Math.max(1, tasksPerJvm));
    long rows = budget / (4L * (width + 1));
    long floor = bytes > 0 ? 1 : 1024;
    return (int) Math.max(floor, Math.min(1 << 20, rows));
  }

  @Override
  public String toString() {
    return isAuto() ? "auto" : examples > 0 ? examples + " examples" : (bytes >> 20) + " MB";
  }
}
