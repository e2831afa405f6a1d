package sparktrain.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small helpers for durable, atomic file writes and hashing on any Hadoop file system ({@code
 * file:}, {@code hdfs:}, ...).
 *
 * <p>Temporary names start with {@value #TMP_PREFIX}, which Hadoop tools treat as hidden.
 */
public final class HadoopFiles {
  /** Prefix of every temporary file or directory this package creates. */
  public static final String TMP_PREFIX = "_tmp-";

  private static final Logger LOG = LoggerFactory.getLogger(HadoopFiles.class);
  private static final int BUFFER_SIZE = 64 * 1024;

  /**
   * Test hook: runs in {@link #writeAtomically} just before the rename, with the temporary file and
   * the destination (a crash point).
   */
  static volatile BiConsumer<Path, Path> beforeRename = (tmp, dst) -> {};

  private HadoopFiles() {}

  /**
   * The names of the entries of {@code dir} that {@code keep} accepts, in listing order; none when
   * {@code dir} does not exist.
   */
  public static List<String> names(FileSystem fs, Path dir, Predicate<FileStatus> keep)
      throws IOException {
    FileStatus[] statuses;
    try {
      statuses = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return new ArrayList<>();
    }
    List<String> names = new ArrayList<>();
    for (FileStatus status : statuses) {
      if (keep.test(status)) {
        names.add(status.getPath().getName());
      }
    }
    return names;
  }

  /**
   * Writes {@code data} to {@code dst} so that readers see either the old content or the new one:
   * writes a temporary file in the same directory, syncs it, then renames it over {@code dst}
   * ({@link FileContext#rename} with {@link Options.Rename#OVERWRITE}; plain {@code
   * FileSystem.rename} onto an existing file returns false on HDFS). Creates missing parents.
   *
   * <p>On a checksummed file system ({@code file:}), a file and its {@code .crc} are renamed one
   * after the other, the data first: a crash between the two would leave the new data with the old
   * checksums, which no reader could open again. So {@code dst}'s checksum file is deleted before
   * the rename; until the new one lands, the file (old or new) reads unchecked.
   */
  public static void writeAtomically(FileContext fc, Path dst, byte[] data) throws IOException {
    Path qualified = fc.makeQualified(dst);
    Path tmp = tempSibling(qualified);
    boolean renamed = false;
    try {
      try (FSDataOutputStream out =
          fc.create(
              tmp,
              EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
              Options.CreateOpts.createParent())) {
        out.write(data);
        sync(out);
      }
      if (fc.getDefaultFileSystem() instanceof ChecksumFs checksummed) {
        fc.delete(checksummed.getChecksumFile(qualified), false);
      }
      beforeRename.accept(tmp, qualified);
      fc.rename(tmp, qualified, Options.Rename.OVERWRITE);
      renamed = true;
    } finally {
      if (!renamed) {
        deleteQuietly(fc, tmp);
      }
    }
  }

  /** Same as {@link #writeAtomically(FileContext, Path, byte[])} for a {@link FileSystem}. */
  public static void writeAtomically(FileSystem fs, Path dst, byte[] data) throws IOException {
    writeAtomically(fileContext(fs), dst, data);
  }

  /** A {@link FileContext} on the same file system (URI and configuration) as {@code fs}. */
  public static FileContext fileContext(FileSystem fs) throws IOException {
    return FileContext.getFileContext(fs.getUri(), fs.getConf());
  }

  /** Lower-case hex SHA-256 of the file at {@code path}, read as a stream. */
  public static String sha256(FileSystem fs, Path path) throws IOException {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[BUFFER_SIZE];
    try (InputStream in = fs.open(path, BUFFER_SIZE)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Lower-case hex SHA-256 of {@code data}. */
  public static String sha256(byte[] data) {
    return HexFormat.of().formatHex(newSha256().digest(data));
  }

  /**
   * Reads a whole (small) file into memory. On a checksummed file system ({@code file:}), a file
   * whose {@code .crc} does not match is read again without the check, with a warning: a file
   * written by an older release and cut off by a crash between renaming the data and its checksums
   * (see {@link #writeAtomically(FileContext, Path, byte[])}) is whole, only its {@code .crc} is
   * stale. What the caller parses still catches real damage.
   */
  public static byte[] readAll(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path, BUFFER_SIZE)) {
      return in.readAllBytes();
    } catch (ChecksumException e) {
      if (!(fs instanceof ChecksumFileSystem checksummed)) {
        throw e;
      }
      LOG.warn(
          "{}: its checksum file does not match ({}); reading it unchecked", path, e.getMessage());
      try (InputStream in = checksummed.getRawFileSystem().open(path, BUFFER_SIZE)) {
        return in.readAllBytes();
      }
    }
  }

  /**
   * Makes written data durable before close: {@code hsync()}, falling back to {@code hflush()} and
   * then {@code flush()} where the stream does not support it.
   */
  public static void sync(FSDataOutputStream out) throws IOException {
    try {
      out.hsync();
    } catch (UnsupportedOperationException e) {
      try {
        out.hflush();
      } catch (UnsupportedOperationException e2) {
        out.flush();
      }
    }
  }

  /** A fresh temporary name in the same directory as {@code path}. */
  public static Path tempSibling(Path path) {
    return new Path(path.getParent(), TMP_PREFIX + path.getName() + "-" + UUID.randomUUID());
  }

  /** Deletes {@code path} recursively, logging (not throwing) a failure. */
  public static void deleteQuietly(FileContext fc, Path path) {
    try {
      fc.delete(path, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not delete {}: {}", path, e.toString());
    }
  }

  /** An output stream that passes everything through but ignores {@code close()}. */
  public static OutputStream closeShield(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  /** A new SHA-256 digest (every JVM has one). */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
