package sparktrain.data.spool;

import java.util.SplittableRandom;

/**
 * A bounded shuffle buffer over a stream of examples (as in tf.data and Petastorm): it holds up to
 * {@code capacity} examples; each example taken out is drawn at random from those held, and its
 * place is refilled from the stream. With capacity 1 the stream's order is kept. Rows live in one
 * {@code float[]}: no object per example.
 */
final class ShuffleBuffer {
  /** The stream the buffer draws from. */
  interface Source {
    /** Whether another example remains. */
    boolean hasNext();

    /**
     * Decodes the next example's features into {@code dst} at {@code offset}; returns its label.
     */
    float next(float[] dst, int offset);
  }

  private final Source source;
  private final int width;
  private final int capacity;
  private final float[] rows;
  private final float[] labels;
  private final SplittableRandom random;
  private int size;

  ShuffleBuffer(Source source, int width, int capacity, long seed) {
    this.source = source;
    this.width = width;
    this.capacity = Math.max(1, capacity);
    this.rows = new float[Math.multiplyExact(this.capacity, width)];
    this.labels = new float[this.capacity];
    this.random = new SplittableRandom(seed);
  }

  /** Bytes the buffer holds on the heap. */
  long bytes() {
    return 4L * (rows.length + labels.length);
  }

  boolean hasNext() {
    fill();
    return size > 0;
  }

  /**
   * Takes one example out: copies its features to {@code dst} at {@code offset} and returns its
   * label.
   */
  float next(float[] dst, int offset) {
    fill();
    if (size == 0) {
      throw new IllegalStateException("the shuffle buffer is empty");
    }
    int j = size == 1 ? 0 : random.nextInt(size);
    System.arraycopy(rows, j * width, dst, offset, width);
    float label = labels[j];
    if (source.hasNext()) {
      labels[j] = source.next(rows, j * width);
    } else {
      size--;
      if (j != size) {
        System.arraycopy(rows, size * width, rows, j * width, width);
        labels[j] = labels[size];
      }
    }
    return label;
  }

  private void fill() {
    while (size < capacity && source.hasNext()) {
      labels[size] = source.next(rows, size * width);
      size++;
    }
  }
}
