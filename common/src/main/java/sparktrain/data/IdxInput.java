package sparktrain.data;

import java.io.Closeable;
import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opening and reading an IDX file's records on an executor, with the errors a user can act on: a
 * file that is shorter than its header said (changed since the driver read it) is a {@link
 * DataException} naming the file, the record and both lengths; other I/O failures name the file.
 */
final class IdxInput {
  private IdxInput() {}

  /** Opens {@code file} positioned at {@code record}. */
  static FSDataInputStream open(IdxHeader file, long record, Configuration conf, int bufferBytes) {
    Path path = new Path(file.path());
    FSDataInputStream in = null;
    try {
      FileSystem fs = path.getFileSystem(conf);
      in = fs.open(path, bufferBytes);
      in.seek(file.offsetOf(record));
      return in;
    } catch (EOFException e) {
      closeQuietly(in);
      throw new DataException(
          String.format(
              "%s: cannot seek to record %d at byte offset %d: expected %d bytes (the length"
                  + " when its header was read), found %s; was it modified?",
              file.path(),
              record,
              file.offsetOf(record),
              file.fileLength(),
              currentLength(file, conf)),
          e);
    } catch (IOException e) {
      closeQuietly(in);
      throw new UncheckedIOException("cannot open " + file.path() + ": " + e, e);
    }
  }

  /** Reads records {@code [first, end)} of {@code file} from {@code in} into {@code into}. */
  static void readFully(
      DataInput in, byte[] into, IdxHeader file, long first, long end, Configuration conf) {
    String records = end == first + 1 ? "record " + first : "records [" + first + ", " + end + ")";
    try {
      in.readFully(into);
    } catch (EOFException e) {
      throw new DataException(
          String.format(
              "%s: unexpected end of file in %s (byte offset %d): expected %d bytes (the length"
                  + " when its header was read), found %s; was it modified?",
              file.path(),
              records,
              file.offsetOf(first),
              file.fileLength(),
              currentLength(file, conf)),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + records + " of " + file.path() + ": " + e, e);
    }
  }

  /** Closes {@code c}, ignoring a failure: the data was read, or the read already failed. */
  static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing useful to do
      }
    }
  }

  private static String currentLength(IdxHeader file, Configuration conf) {
    try {
      Path path = new Path(file.path());
      return path.getFileSystem(conf).getFileStatus(path).getLen() + " bytes";
    } catch (IOException | RuntimeException e) {
      return "an unreadable file (" + e + ")";
    }
  }
}
