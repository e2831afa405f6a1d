package sparktrain.data;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs on the executors: reads a partition's range of an IDX image/label file pair in blocks of
 * {@code batchSize} records and decodes the pixel bytes straight into each {@link FeatureBatch}'s
 * off-heap network input, normalized (a 256-entry table when the normalizer scales every feature
 * alike). No Java object per record, one read per block.
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

  /** The table of the normalized value of each byte, when every feature is normalized alike. */
  static float[] byteTable(Normalizer normalizer) {
    if (normalizer.width() > 0) {
      return null;
    }
    float[] table = new float[256];
    for (int b = 0; b < 256; b++) {
      table[b] = normalizer.apply(0, (float) b);
    }
    return table;
  }

  /** Reads records {@code [start, end)} of both files in blocks; closes them after the last. */
  private final class Blocks implements Iterator<FeatureBatch>, Closeable {
    private final IdxRange range;
    private final Configuration hadoopConf;
    private final int width;
    private final float[] table;
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
      this.table = byteTable(normalizer);
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
        imageIn = open(images, range.start);
        labelIn = open(labels, range.start);
      }
      int n = (int) Math.min(batchSize, range.end - next);
      if (pixels == null || pixels.length != n * width) {
        pixels = new byte[n * width];
        labelBytes = new byte[n];
      }
      readFully(imageIn, pixels, images);
      readFully(labelIn, labelBytes, labels);
      INDArray features = FeatureBatch.allocate(n, width);
      FloatBuffer into = FeatureBatch.buffer(features);
      for (int r = 0, i = 0; r < n; r++) {
        if (table != null) {
          for (int j = 0; j < width; j++, i++) {
            row[j] = table[pixels[i] & 0xff];
          }
        } else {
          for (int j = 0; j < width; j++, i++) {
            row[j] = normalizer.apply(j, (float) (pixels[i] & 0xff));
          }
        }
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

    private FSDataInputStream open(IdxHeader file, long record) {
      Path path = new Path(file.path());
      FSDataInputStream in = null;
      try {
        FileSystem fs = path.getFileSystem(hadoopConf);
        in = fs.open(path, 1 << 20);
        in.seek(file.offsetOf(record));
        return in;
      } catch (EOFException e) {
        closeQuietly(in);
        throw new DataException(
            String.format(
                "%s: cannot seek to record %d at byte offset %d: expected %d bytes (the length"
                    + " when its header was read), found %s; was it modified?",
                file.path(), record, file.offsetOf(record), file.fileLength(), currentLength(file)),
            e);
      } catch (IOException e) {
        closeQuietly(in);
        throw new UncheckedIOException("cannot open " + file.path() + ": " + e, e);
      }
    }

    private void readFully(FSDataInputStream in, byte[] into, IdxHeader file) {
      try {
        in.readFully(into);
      } catch (EOFException e) {
        throw new DataException(
            String.format(
                "%s: unexpected end of file in records [%d, %d) (byte offset %d): expected %d"
                    + " bytes (the length when its header was read), found %s; was it modified?",
                file.path(),
                next,
                next + labelBytes.length,
                file.offsetOf(next),
                file.fileLength(),
                currentLength(file)),
            e);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read records from " + next + " of " + file.path() + ": " + e, e);
      }
    }

    private String currentLength(IdxHeader file) {
      try {
        Path path = new Path(file.path());
        return path.getFileSystem(hadoopConf).getFileStatus(path).getLen() + " bytes";
      } catch (IOException | RuntimeException e) {
        return "an unreadable file (" + e + ")";
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(imageIn);
      closeQuietly(labelIn);
    }

    private void closeQuietly(Closeable c) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException ignored) {
          // nothing useful to do: the data was read
        }
      }
    }
  }
}
