package sparktrain.data.spool;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import sparktrain.data.Example;
import sparktrain.io.Json;
import sparktrain.train.Shuffle;

/**
 * Writes the training examples once into a spool directory of compact blocks ({@link BlockCodec}),
 * or finds a complete one written for the same key.
 *
 * <p>With {@code shuffle}, the examples are first shuffled in full by a seeded key (one Spark
 * shuffle of the packed examples, sorted within each output partition; Spark spills to its local
 * disks, so memory stays bounded), so that no block holds a run of the input file's order, such as
 * one label of a file sorted by label. Each output partition writes its blocks into one file; the
 * driver writes {@link SpoolIndex} last. Written files carry the task attempt in their name, so a
 * retried or speculative task never mixes its blocks with another attempt's.
 *
 * <p>Why a Hadoop file system directory (by default under the run directory) and not Spark's block
 * manager: every task can read any block in any order, which a block-order shuffle needs; the data
 * outlives a lost executor, a retried barrier stage, and the driver (a resumed run reuses it).
 */
public final class Spool {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  /** Bytes of a block, about: the unit of reading and of the epoch's block shuffle. */
  static final int BLOCK_BYTES = 1 << 20;

  private Spool() {}

  /**
   * The spool of {@code examples} in {@code dir}: the complete one there when its key is {@code
   * key}, else a new one (anything in {@code dir} is deleted first).
   *
   * @param key identifies the input and settings; null: never reuse
   * @param partitions write tasks (and files)
   */
  public static SpoolIndex prepare(
      JavaSparkContext sc,
      JavaRDD<Example> examples,
      String dir,
      String key,
      boolean shuffle,
      long seed,
      int partitions)
      throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(conf);
    String qualified = fs.makeQualified(path).toString();
    SpoolIndex existing = SpoolIndex.read(qualified, conf);
    if (existing != null
        && key != null
        && key.equals(existing.key())
        && existing.shuffled() == shuffle) {
      LOG.info(
          "Reusing the training data spool {}: {} examples in {} blocks, {} MB",
          qualified,
          existing.examples(),
          existing.blocks().size(),
          existing.bytes() >> 20);
      return existing;
    }
    if (fs.exists(path)) {
      LOG.info("Replacing the training data spool {} (written for other input or settings)", dir);
      fs.delete(path, true);
    }
    fs.mkdirs(path);
    long t0 = System.nanoTime();
    Broadcast<SerializableConfiguration> shipped =
        sc.broadcast(new SerializableConfiguration(conf));
    JavaRDD<byte[]> packed;
    if (shuffle) {
      packed =
          examples
              .mapPartitionsWithIndex(keyed(seed), true)
              .mapToPair(t -> t)
              .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
              .values();
    } else {
      packed = examples.map(BlockCodec::pack);
    }
    // each task's blocks come back as JSON text: Spark's Kryo cannot serialize records
    List<String> parts =
        packed.mapPartitionsWithIndex(new Writer(qualified, shipped), true).collect();
    shipped.destroy();
    List<BlockRef> blocks = new ArrayList<>();
    for (String part : parts) {
      blocks.addAll(Json.MAPPER.readValue(part, new TypeReference<List<BlockRef>>() {}));
    }
    long count = blocks.stream().mapToLong(BlockRef::count).sum();
    long bytes = blocks.stream().mapToLong(BlockRef::length).sum();
    int width = blocks.isEmpty() ? 0 : widthOf(qualified, blocks.get(0), conf);
    SpoolIndex index = new SpoolIndex(qualified, key, shuffle, width, count, bytes, blocks);
    index.write(conf);
    LOG.info(
        "Wrote the training data spool {}: {} examples in {} blocks, {} MB, in {} s",
        qualified,
        count,
        blocks.size(),
        bytes >> 20,
        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    return index;
  }

  /** Deletes a spool directory; logs instead of failing. */
  public static void delete(String dir, Configuration conf) {
    try {
      Path path = new Path(dir);
      path.getFileSystem(conf).delete(path, true);
    } catch (IOException e) {
      LOG.warn("Could not delete the training data spool {}: {}", dir, e.toString());
    }
  }

  private static int widthOf(String dir, BlockRef ref, Configuration conf) throws IOException {
    Path file = new Path(dir, ref.file());
    byte[] header = new byte[BlockCodec.HEADER_BYTES];
    try (var in = file.getFileSystem(conf).open(file)) {
      in.readFully(ref.offset(), header);
    }
    return java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8);
  }

  /** Packs each example with a key drawn from (seed, partition, position): a full shuffle. */
  private static Function2<Integer, Iterator<Example>, Iterator<Tuple2<Long, byte[]>>> keyed(
      long seed) {
    return (partition, it) -> {
      long base = Shuffle.mix(seed, partition);
      return new Iterator<>() {
        long i;

        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Tuple2<Long, byte[]> next() {
          return new Tuple2<>(Shuffle.mix(base, i++), BlockCodec.pack(it.next()));
        }
      };
    };
  }

  /** Writes one partition's packed examples into blocks of one file; returns the blocks. */
  private static final class Writer
      implements Function2<Integer, Iterator<byte[]>, Iterator<String>> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final Broadcast<SerializableConfiguration> conf;

    Writer(String dir, Broadcast<SerializableConfiguration> conf) {
      this.dir = dir;
      this.conf = conf;
    }

    @Override
    public Iterator<String> call(Integer partition, Iterator<byte[]> it) throws IOException {
      TaskContext ctx = TaskContext.get();
      String name =
          String.format(
              "part-%05d-s%d-a%d.blk",
              partition,
              ctx == null ? 0 : ctx.stageAttemptNumber(),
              ctx == null ? 0 : ctx.attemptNumber());
      Path file = new Path(dir, name);
      List<BlockRef> refs = new ArrayList<>();
      if (!it.hasNext()) {
        return List.of("[]").iterator();
      }
      FileSystem fs = file.getFileSystem(conf.value().value());
      try (FSDataOutputStream out = fs.create(file, true)) {
        List<byte[]> block = new ArrayList<>();
        int width = -1;
        long bytes = 0;
        while (it.hasNext()) {
          byte[] p = it.next();
          int w = BlockCodec.width(p);
          if (width < 0) {
            width = w;
          } else if (w != width) {
            throw new IllegalStateException(
                "examples of " + width + " and of " + w + " features in one data set");
          }
          block.add(p);
          bytes += p.length;
          if (bytes >= BLOCK_BYTES) {
            refs.add(flush(out, name, block, width));
            block.clear();
            bytes = 0;
          }
        }
        if (!block.isEmpty()) {
          refs.add(flush(out, name, block, width));
        }
      }
      return List.of(Json.MAPPER.writeValueAsString(refs)).iterator();
    }

    private static BlockRef flush(FSDataOutputStream out, String name, List<byte[]> block, int w)
        throws IOException {
      long offset = out.getPos();
      byte[] encoded = BlockCodec.encode(block, w);
      out.write(encoded);
      return new BlockRef(name, offset, encoded.length, block.size(), encoded[12] == BlockCodec.U8);
    }
  }
}
