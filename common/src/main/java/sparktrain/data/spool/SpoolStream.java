package sparktrain.data.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.data.Normalizer;
import sparktrain.train.MiniBatches;
import sparktrain.train.Shuffle;

/**
 * One worker's share of one epoch, streamed from the spool as minibatches. A reader thread fetches
 * the share's blocks in order ({@value #PREFETCH_BLOCKS} ahead) while the examples go through a
 * {@link ShuffleBuffer} seeded by (seed, epoch, rank). What it holds on the heap: the buffer, the
 * prefetched blocks and one minibatch.
 */
public final class SpoolStream implements AutoCloseable {
  static final int PREFETCH_BLOCKS = 2;

  private final SpoolIndex index;
  private final long total;
  private final BooleanSupplier interrupted;
  private final BlockingQueue<Object> blocks = new ArrayBlockingQueue<>(PREFETCH_BLOCKS);
  private final Thread reader;
  private final ShuffleBuffer buffer;
  private long taken;
  private volatile boolean closed;

  private record Loaded(BlockCodec.Block block, int from, int to) {}

  private SpoolStream(
      SpoolIndex index,
      List<EpochShares.Segment> share,
      long total,
      int bufferExamples,
      long bufferSeed,
      Configuration conf,
      BooleanSupplier interrupted) {
    this.index = index;
    this.total = total;
    this.interrupted = interrupted;
    this.reader = new Thread(() -> read(share, conf), "spool-reader");
    reader.setDaemon(true);
    reader.start();
    int capacity = (int) Math.max(1, Math.min(bufferExamples, total));
    this.buffer =
        new ShuffleBuffer(new Blocks(), index.width(), capacity, index.allBytes(), bufferSeed);
  }

  /**
   * Opens worker {@code rank}'s share of {@code epoch}.
   *
   * @param bufferExamples the shuffle buffer's capacity (1 keeps the share's order)
   * @param interrupted ends a wait for the reader thread (the task was killed)
   */
  public static SpoolStream open(
      SpoolIndex index,
      int workers,
      int rank,
      long seed,
      int epoch,
      boolean shuffle,
      int bufferExamples,
      Configuration conf,
      BooleanSupplier interrupted) {
    EpochShares shares = new EpochShares(index, workers);
    return new SpoolStream(
        index,
        shares.share(rank, seed, epoch, shuffle),
        shares.examples(rank),
        shuffle ? bufferExamples : 1,
        Shuffle.mix(Shuffle.mix(seed, epoch), rank),
        conf,
        interrupted);
  }

  /** Bytes the shuffle buffer holds. */
  public long bufferBytes() {
    return buffer.bytes();
  }

  /** Examples not yet taken. */
  public long remaining() {
    return total - taken;
  }

  /** Skips {@code n} examples (a resumed epoch's rounds that are done already). */
  public void skip(long n) {
    float[] row = new float[index.width()];
    for (long i = 0; i < n && remaining() > 0; i++) {
      buffer.next(row, 0);
      taken++;
    }
  }

  /**
   * The next minibatch of up to {@code batchSize} examples, normalized, labels laid out for the
   * loss; null when the share is used up.
   */
  public DataSet next(
      int batchSize, MiniBatches.LabelLayout layout, int numClasses, Normalizer normalizer) {
    int n = (int) Math.min(batchSize, remaining());
    if (n == 0) {
      return null;
    }
    int width = index.width();
    float[] features = new float[n * width];
    float[] labels = new float[n * layout.width(numClasses)];
    normalizer.checkWidth(width);
    for (int i = 0; i < n; i++) {
      float label = buffer.next(features, i * width, normalizer);
      MiniBatches.setLabel(labels, i, label, layout, numClasses);
    }
    taken += n;
    return MiniBatches.dataSet(features, labels, n, width, layout.width(numClasses));
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
  }

  /** The reader thread: loads the share's blocks in order; an error goes through the queue. */
  private void read(List<EpochShares.Segment> share, Configuration conf) {
    try {
      FileSystem fs = new Path(index.dir()).getFileSystem(conf);
      for (EpochShares.Segment s : share) {
        BlockRef ref = s.block();
        Path file = new Path(index.dir(), ref.file());
        byte[] bytes = new byte[ref.length()];
        try (FSDataInputStream in = fs.open(file)) {
          in.readFully(ref.offset(), bytes);
        }
        BlockCodec.Block block = new BlockCodec.Block(bytes, file + "@" + ref.offset());
        if (block.count() != ref.count() || block.width() != index.width()) {
          throw new IllegalStateException(
              file + "@" + ref.offset() + ": block does not match the spool's index");
        }
        blocks.put(new Loaded(block, s.from(), s.to()));
      }
    } catch (InterruptedException | InterruptedIOException e) {
      // closed
    } catch (IOException e) {
      offer(new UncheckedIOException("cannot read the training data spool " + index.dir(), e));
    } catch (RuntimeException e) {
      offer(e);
    }
  }

  private void offer(RuntimeException e) {
    try {
      blocks.put(e);
    } catch (InterruptedException ignored) {
      // closed
    }
  }

  /** The share's examples in block order, as the shuffle buffer's source. */
  private final class Blocks implements ShuffleBuffer.Source {
    private Loaded current;
    private int at;
    private long supplied;

    @Override
    public boolean hasNext() {
      return supplied < total;
    }

    @Override
    public float next(float[] dst, int offset) {
      BlockCodec.Block block = advance();
      block.features(at, dst, offset);
      supplied++;
      return block.label(at++);
    }

    @Override
    public float nextBytes(byte[] dst, int offset) {
      BlockCodec.Block block = advance();
      block.bytes(at, dst, offset);
      supplied++;
      return block.label(at++);
    }

    private BlockCodec.Block advance() {
      while (current == null || at == current.to()) {
        current = take();
        at = current.from();
      }
      return current.block();
    }

    private Loaded take() {
      try {
        while (true) {
          Object o = blocks.poll(200, TimeUnit.MILLISECONDS);
          if (o instanceof Loaded l) {
            return l;
          }
          if (o instanceof RuntimeException e) {
            throw e;
          }
          if (closed || interrupted.getAsBoolean()) {
            throw new IllegalStateException("the task was stopped while reading the spool");
          }
          if (o == null && !reader.isAlive() && blocks.isEmpty()) {
            throw new IllegalStateException(
                "the spool reader ended after "
                    + supplied
                    + " of "
                    + total
                    + " examples of "
                    + index.dir());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the spool", e);
      }
    }
  }
}
