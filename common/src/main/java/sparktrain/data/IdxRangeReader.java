package sparktrain.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Runs on the executors: opens the images and labels files through the Hadoop FileSystem API, seeks
 * to the partition's first record and reads its range, record by record, lazily.
 */
final class IdxRangeReader implements FlatMapFunction<Iterator<IdxRange>, Example> {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_BYTES = 1 << 18;

  private final IdxHeader images;
  private final IdxHeader labels;
  private final Broadcast<SerializableConfiguration> conf;

  IdxRangeReader(IdxHeader images, IdxHeader labels, Broadcast<SerializableConfiguration> conf) {
    this.images = images;
    this.labels = labels;
    this.conf = conf;
  }

  @Override
  public Iterator<Example> call(Iterator<IdxRange> ranges) {
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
    RecordIterator records = new RecordIterator(range, conf.value().value());
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> records.close());
    }
    return records;
  }

  /** Reads records {@code [start, end)} of both files; closes them after the last one. */
  private final class RecordIterator implements Iterator<Example>, Closeable {
    private final IdxRange range;
    private final Configuration hadoopConf;
    private final int imageSize;
    private DataInputStream imageIn;
    private DataInputStream labelIn;
    private long next;
    private boolean closed;

    RecordIterator(IdxRange range, Configuration hadoopConf) {
      this.range = range;
      this.hadoopConf = hadoopConf;
      this.imageSize = Math.toIntExact(images.recordSize());
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
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException(range.toString());
      }
      if (imageIn == null) {
        imageIn = open(images, range.start);
        labelIn = open(labels, range.start);
      }
      byte[] pixels = new byte[imageSize];
      IdxInput.readFully(imageIn, pixels, images, next, next + 1, hadoopConf);
      byte[] label = new byte[1];
      IdxInput.readFully(labelIn, label, labels, next, next + 1, hadoopConf);
      float[] features = new float[imageSize];
      for (int i = 0; i < imageSize; i++) {
        features[i] = pixels[i] & 0xff;
      }
      next++;
      return new Example(features, label[0] & 0xff);
    }

    private DataInputStream open(IdxHeader file, long record) {
      return new DataInputStream(
          new BufferedInputStream(
              IdxInput.open(file, record, hadoopConf, BUFFER_BYTES), BUFFER_BYTES));
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
