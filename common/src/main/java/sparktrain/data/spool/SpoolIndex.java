package sparktrain.data.spool;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;

/**
 * The table of contents of a spool directory ({@value #FILE_NAME}, written after every block): the
 * blocks in their written order, the examples' width and count, and the key of the input and
 * settings it was written for (a spool is reused only for the same key).
 *
 * @param dir the spool directory (a qualified Hadoop path)
 * @param key what the spool was written from (input fingerprint, data settings, seed, shuffle)
 * @param shuffled whether the examples were shuffled before they were written
 * @param width features per example
 * @param examples examples in all blocks
 * @param bytes bytes in all blocks
 * @param blocks every block, in written order
 */
public record SpoolIndex(
    String dir,
    String key,
    boolean shuffled,
    int width,
    long examples,
    long bytes,
    List<BlockRef> blocks)
    implements Serializable {
  /** The index's file name in the spool directory. */
  public static final String FILE_NAME = "_index.json";

  /** Copies the block list. */
  public SpoolIndex {
    blocks = List.copyOf(blocks);
  }

  /** Whether every block stores its features as bytes. */
  public boolean allBytes() {
    return !blocks.isEmpty() && blocks.stream().allMatch(BlockRef::bytes);
  }

  /** Reads the index of {@code dir}, or null when there is none (no complete spool). */
  static SpoolIndex read(String dir, Configuration conf) throws IOException {
    Path path = new Path(dir, FILE_NAME);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      return null;
    }
    return Json.MAPPER.readValue(HadoopFiles.readAll(fs, path), SpoolIndex.class);
  }

  /** Writes this index into its directory atomically: the spool is complete from then on. */
  void write(Configuration conf) throws IOException {
    Path path = new Path(dir, FILE_NAME);
    HadoopFiles.writeAtomically(path.getFileSystem(conf), path, Json.pretty(this));
  }
}
