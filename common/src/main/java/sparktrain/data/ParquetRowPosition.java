package sparktrain.data;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The file and 1-based row number of each row a Parquet scan returns, without Spark's {@code
 * _metadata} columns (which add a projection of every row). Spark's file scan says which file and
 * split it reads ({@link InputFileBlockHolder}, what {@code input_file_name()} reads); a split
 * reads the row groups whose midpoint lies in it, in order, so its first row is the first of those
 * groups, whose index the file's footer gives (as Spark's own {@code row_index} does). Call {@link
 * #next} once per row, in the scan's order, on the task's thread.
 */
final class ParquetRowPosition implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<SerializableConfiguration> conf;

  private transient UTF8String splitPath;
  private transient long splitStart = -1;
  private transient String file;
  private transient long row;

  ParquetRowPosition(JavaSparkContext sc) {
    this.conf = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
  }

  /** Moves to the row the scan returns now and gives its 1-based number in its file. */
  long next() throws IOException {
    UTF8String path = InputFileBlockHolder.getInputFilePath();
    long start = InputFileBlockHolder.getStartOffset();
    if (start != splitStart || (path != splitPath && !path.equals(splitPath))) {
      enter(path.clone(), start, InputFileBlockHolder.getLength());
    }
    return ++row;
  }

  /** The file of the row {@link #next} moved to, as a Hadoop path. */
  String file() {
    return file;
  }

  private void enter(UTF8String path, long start, long length) throws IOException {
    splitPath = path;
    splitStart = start;
    if (path.numBytes() == 0) {
      // not a file scan's row (never so for spark.read().parquet); counted from the task's start
      file = "(unknown file)";
      row = 0;
      return;
    }
    // the scan's path is URL-encoded (a space is %20): the Hadoop path, as _metadata has it
    Path p = new Path(URI.create(path.toString()));
    file = p.toString();
    HadoopInputFile input = HadoopInputFile.fromPath(p, conf.value().value());
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            input,
            HadoopReadOptions.builder(conf.value().value(), p)
                .withRange(start, start + length)
                .build())) {
      List<BlockMetaData> groups = reader.getRowGroups();
      long first = groups.isEmpty() ? 0 : groups.get(0).getRowIndexOffset();
      if (first < 0) {
        throw new IOException(p + ": the footer gives no row index for the row group at " + start);
      }
      row = first;
    }
  }
}
