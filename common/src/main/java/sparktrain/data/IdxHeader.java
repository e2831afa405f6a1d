package sparktrain.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The header of an IDX file (the MNIST format), read and checked against the file's length.
 *
 * <p>Layout: two zero bytes, a data type byte (only {@code 0x08}, unsigned byte, is supported), a
 * byte with the number of dimensions {@code n}, then {@code n} big-endian int32 dimension sizes;
 * then the data, {@code product(dims)} bytes, record after record. The first dimension is the
 * number of records; a record is {@code product(dims[1..])} bytes.
 */
public final class IdxHeader implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Data type byte of unsigned byte data, the only one supported. */
  public static final int TYPE_UNSIGNED_BYTE = 0x08;

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private final String path;
  private final int dataType;
  private final int[] dims;
  private final long fileLength;

  private IdxHeader(String path, int dataType, int[] dims, long fileLength) {
    this.path = path;
    this.dataType = dataType;
    this.dims = dims;
    this.fileLength = fileLength;
  }

  /**
   * Reads and checks the header of the IDX file at {@code path} through the Hadoop FileSystem API.
   *
   * @param path a qualified path (see {@link HadoopPaths#qualify})
   * @throws DataException if the file is missing, a directory, empty, not an IDX file (wrong magic
   *     number, for example gzip-compressed), of an unsupported data type, truncated, or has
   *     trailing bytes; the message names the file
   * @throws UncheckedIOException on other I/O errors
   */
  public static IdxHeader read(Path path, Configuration conf) {
    String name = path.toString();
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status;
      try {
        status = fs.getFileStatus(path);
      } catch (FileNotFoundException e) {
        throw new DataException(name + ": file not found; expected an IDX file", e);
      }
      if (status.isDirectory()) {
        throw new DataException(name + ": is a directory; expected an IDX file");
      }
      long length = status.getLen();
      if (length == 0) {
        throw new DataException(name + ": empty file (0 bytes); expected an IDX file");
      }
      try (FSDataInputStream in = fs.open(path)) {
        return parse(name, in, length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read IDX header of " + name + ": " + e, e);
    }
  }

  private static IdxHeader parse(String name, FSDataInputStream in, long length)
      throws IOException {
    byte[] magic = new byte[4];
    int got = readUpTo(in, magic);
    if (magic[0] != 0 || (got >= 2 && magic[1] != 0)) {
      throw wrongMagic(name, magic, got);
    }
    if (got < 4) {
      throw new DataException(
          name + ": truncated header: expected at least 4 bytes (magic number), found " + length);
    }
    int dataType = magic[2] & 0xff;
    int numDims = magic[3] & 0xff;
    if (dataType != TYPE_UNSIGNED_BYTE) {
      throw new DataException(
          String.format(
              "%s: unsupported IDX data type 0x%02x (%s) at byte offset 2; only 0x08 (unsigned"
                  + " byte) is supported",
              name, dataType, typeName(dataType)));
    }
    if (numDims == 0) {
      throw new DataException(
          name + ": IDX header declares 0 dimensions at byte offset 3; expected at least 1");
    }
    int headerSize = 4 + 4 * numDims;
    if (length < headerSize) {
      throw new DataException(
          String.format(
              "%s: truncated header: %d dimensions need a %d-byte header, found %d bytes",
              name, numDims, headerSize, length));
    }
    byte[] dimBytes = new byte[4 * numDims];
    in.readFully(dimBytes);
    ByteBuffer buf = ByteBuffer.wrap(dimBytes); // big-endian by default
    int[] dims = new int[numDims];
    for (int i = 0; i < numDims; i++) {
      dims[i] = buf.getInt();
      if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
        throw new DataException(
            String.format(
                "%s: invalid size %d of dimension %d at byte offset %d; expected %s",
                name, dims[i], i, 4 + 4 * i, i == 0 ? "a count >= 0" : "a size >= 1"));
      }
    }
    IdxHeader header = new IdxHeader(name, dataType, dims, length);
    long expected;
    try {
      expected = Math.addExact(headerSize, Math.multiplyExact((long) dims[0], header.recordSize()));
    } catch (ArithmeticException e) {
      throw new DataException(
          name + ": dimensions " + Arrays.toString(dims) + " are too large (overflow)", e);
    }
    if (length != expected) {
      long complete = (length - headerSize) / header.recordSize();
      throw new DataException(
          String.format(
              "%s: %s: header %s declares %d records of %d bytes, so the file should be %d bytes"
                  + " (%d header + %d data), found %d bytes (%s)",
              name,
              length < expected ? "truncated" : "trailing bytes",
              Arrays.toString(dims),
              dims[0],
              header.recordSize(),
              expected,
              headerSize,
              expected - headerSize,
              length,
              length < expected
                  ? complete + " complete records"
                  : (length - expected) + " bytes too many"));
    }
    return header;
  }

  private static int readUpTo(FSDataInputStream in, byte[] into) throws IOException {
    int total = 0;
    while (total < into.length) {
      int n = in.read(into, total, into.length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static DataException wrongMagic(String name, byte[] magic, int got) {
    StringBuilder found = new StringBuilder();
    for (int i = 0; i < got; i++) {
      found.append(String.format(i == 0 ? "0x%02x" : " 0x%02x", magic[i] & 0xff));
    }
    String message =
        name
            + ": wrong magic number at byte offset 0: expected an IDX file starting with 0x00 0x00"
            + " <type> <dims> (e.g. 0x00 0x00 0x08 0x03), found "
            + found;
    if (got >= 2 && (magic[0] & 0xff) == GZIP_MAGIC_1 && (magic[1] & 0xff) == GZIP_MAGIC_2) {
      message += "; this is a gzip-compressed file: gunzip it first (gunzip <file>.gz)";
    }
    return new DataException(message);
  }

  private static String typeName(int type) {
    switch (type) {
      case 0x09:
        return "signed byte";
      case 0x0b:
        return "short";
      case 0x0c:
        return "int";
      case 0x0d:
        return "float";
      case 0x0e:
        return "double";
      default:
        return "unknown";
    }
  }

  /** The file's qualified path (URI string) as read. */
  public String path() {
    return path;
  }

  /** The data type byte (always {@link #TYPE_UNSIGNED_BYTE}). */
  public int dataType() {
    return dataType;
  }

  /** The number of dimensions, including the record count. */
  public int numDims() {
    return dims.length;
  }

  /** The dimension sizes (a copy); {@code dims()[0]} is the record count. */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of records (the first dimension). */
  public int count() {
    return dims[0];
  }

  /** The size in bytes of one record: the product of all dimensions but the first (1 if none). */
  public long recordSize() {
    long size = 1;
    for (int i = 1; i < dims.length; i++) {
      size = Math.multiplyExact(size, dims[i]);
    }
    return size;
  }

  /** The size in bytes of the header. */
  public int headerSize() {
    return 4 + 4 * dims.length;
  }

  /** The byte offset of record {@code record} (0-based) in the file. */
  public long offsetOf(long record) {
    return headerSize() + record * recordSize();
  }

  /** The length of the file in bytes (header plus all records). */
  public long fileLength() {
    return fileLength;
  }

  @Override
  public String toString() {
    return "IdxHeader{" + path + ", dims=" + Arrays.toString(dims) + "}";
  }
}
