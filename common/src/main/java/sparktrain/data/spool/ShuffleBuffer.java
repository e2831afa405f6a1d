package sparktrain.data.spool;

import java.util.SplittableRandom;
import sparktrain.data.Normalizer;

/**
 * A bounded shuffle buffer over a stream of examples (as in tf.data and Petastorm): it holds up to
 * {@code capacity} examples; each example taken out is drawn at random from those held, and its
 * place is refilled from the stream. With capacity 1 the stream's order is kept. Rows live in one
 * array, no object per example: a {@code byte[]} when every feature is a byte (pixels: a quarter of
 * the memory, and four times the examples per MB), else a {@code float[]}.
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

    /** As {@link #next(float[], int)} for a source whose features are all bytes. */
    float nextBytes(byte[] dst, int offset);
  }

  private final Source source;
  private final int width;
  private final int capacity;
  private final float[] rows;
  private final byte[] byteRows;
  private final float[] labels;
  private final SplittableRandom random;
  private int size;

  ShuffleBuffer(Source source, int width, int capacity, boolean bytes, long seed) {
    this.source = source;
    this.width = width;
    this.capacity = Math.max(1, capacity);
    int cells = Math.multiplyExact(this.capacity, width);
    this.rows = bytes ? null : new float[cells];
    this.byteRows = bytes ? new byte[cells] : null;
    this.labels = new float[this.capacity];
    this.random = new SplittableRandom(seed);
  }

  /** Bytes the buffer holds on the heap. */
  long bytes() {
    return (rows != null ? 4L * rows.length : byteRows.length) + 4L * labels.length;
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
    return next(dst, offset, Normalizer.none());
  }

  /**
   * Takes one example out: writes its features, transformed by {@code normalizer}, to {@code dst}
   * at {@code offset} (decoded and transformed in one pass) and returns its label.
   */
  float next(float[] dst, int offset, Normalizer normalizer) {
    fill();
    if (size == 0) {
      throw new IllegalStateException("the shuffle buffer is empty");
    }
    int j = size == 1 ? 0 : random.nextInt(size);
    if (rows != null) {
      normalizer.applyRow(rows, j * width, dst, offset, width);
    } else {
      normalizer.decodeRow(byteRows, j * width, dst, offset, width);
    }
    float label = labels[j];
    if (source.hasNext()) {
      labels[j] = load(j);
    } else {
      size--;
      if (j != size) {
        Object array = rows != null ? rows : byteRows;
        System.arraycopy(array, size * width, array, j * width, width);
        labels[j] = labels[size];
      }
    }
    return label;
  }

  private float load(int slot) {
    return rows != null
        ? source.next(rows, slot * width)
        : source.nextBytes(byteRows, slot * width);
  }

  private void fill() {
    while (size < capacity && source.hasNext()) {
      labels[size] = load(size);
      size++;
    }
  }
}
