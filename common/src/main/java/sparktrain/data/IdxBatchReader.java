package sparktrain.data;

import java.io.Closeable;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs on the executors: reads a partition's range of an IDX image/label file pair in blocks of
 * {@code batchSize} records and decodes the pixel bytes straight into each {@link FeatureBatch}'s
 * off-heap network input, normalized ({@link Normalizer#decodeRow}: a 256-entry table when the
 * normalizer scales every feature alike). No Java object per record, one read per block.
 */
final class IdxBatchReader implements FlatMapFunction<Iterator<IdxRange>, FeatureBatch> {
  private static final long serialVersionUID = 1L;

  private final IdxHeader images;
  private final IdxHeader labels;
  private final Broadcast<SerializableConfiguration> conf;
  private final long offset;
  private final int batchSize;
  private final int inputSize;
  private final Normalizer normalizer;

  /**
   * @param offset the split's first record (batches count records from it)
   * @param inputSize features the model takes (another image size is a {@link DataException})
   */
  IdxBatchReader(
      IdxHeader images,
      IdxHeader labels,
      Broadcast<SerializableConfiguration> conf,
      long offset,
      int batchSize,
      int inputSize,
      Normalizer normalizer) {
    this.images = images;
    this.labels = labels;
    this.conf = conf;
    this.offset = offset;
    this.batchSize = batchSize;
    this.inputSize = inputSize;
    this.normalizer = normalizer;
  }

  @Override
  public Iterator<FeatureBatch> call(Iterator<IdxRange> ranges) {
    if (!ranges.hasNext()) {
      return Collections.emptyIterator();
    }
    IdxRange range = ranges.next();
    if (ranges.hasNext()) {
      throw new IllegalStateException("more than one IDX range in one partition: " + range);
    }
    if (range.start == range.end) {
      return Collections.emptyIterator();
    }
    int width = Math.toIntExact(images.recordSize());
    FeatureBatch.checkWidth(width, inputSize);
    normalizer.checkWidth(width);
    Blocks blocks = new Blocks(range, conf.value().value(), width);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> blocks.close());
    }
    return blocks;
  }

  /** Reads records {@code [start, end)} of both files in blocks; closes them after the last. */
  private final class Blocks implements Iterator<FeatureBatch>, Closeable {
    private final IdxRange range;
    private final Configuration hadoopConf;
    private final int width;
    private final float[] row;
    private byte[] pixels;
    private byte[] labelBytes;
    private FSDataInputStream imageIn;
    private FSDataInputStream labelIn;
    private long next;
    private boolean closed;

    Blocks(IdxRange range, Configuration hadoopConf, int width) {
      this.range = range;
      this.hadoopConf = hadoopConf;
      this.width = width;
      this.row = new float[width];
      this.next = range.start;
    }

    @Override
    public boolean hasNext() {
      if (next < range.end) {
        return true;
      }
      close();
      return false;
    }

    @Override
    public FeatureBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException(range.toString());
      }
      if (imageIn == null) {
        imageIn = IdxInput.open(images, range.start, hadoopConf, 1 << 20);
        labelIn = IdxInput.open(labels, range.start, hadoopConf, 1 << 20);
      }
      int n = (int) Math.min(batchSize, range.end - next);
      if (pixels == null || pixels.length != n * width) {
        pixels = new byte[n * width];
        labelBytes = new byte[n];
      }
      IdxInput.readFully(imageIn, pixels, images, next, next + n, hadoopConf);
      IdxInput.readFully(labelIn, labelBytes, labels, next, next + n, hadoopConf);
      INDArray features = FeatureBatch.allocate(n, width);
      FloatBuffer into = FeatureBatch.buffer(features);
      for (int r = 0; r < n; r++) {
        normalizer.decodeRow(pixels, r * width, row, 0, width);
        into.put(row);
      }
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        y[i] = labelBytes[i] & 0xff;
      }
      FeatureBatch batch = new FeatureBatch(next - offset, n, width, features, y, null);
      next += n;
      return batch;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      IdxInput.closeQuietly(imageIn);
      IdxInput.closeQuietly(labelIn);
    }
  }
}
