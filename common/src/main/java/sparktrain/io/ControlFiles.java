package sparktrain.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small control files (a registry's {@code CHAMPION}, {@code HISTORY}, {@code LOCK} and claims, an
 * output directory's lease) on any Hadoop file system: read, replace atomically, create
 * exclusively, move aside.
 *
 * <p>Exclusive creation writes the full content into a temporary sibling first, so the file never
 * appears empty or half-written, then publishes it with an operation that fails if the target
 * exists: {@link FileContext#rename} without {@code OVERWRITE} (atomic on HDFS), or on the local
 * file system a hard link ({@code link(2)} fails atomically with {@code EEXIST}; Hadoop's local
 * rename and {@code create(path, false)} check and act in two steps). Object stores without atomic
 * conditional writes (S3A before conditional PUT) cannot guarantee exclusivity.
 */
public final class ControlFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ControlFiles.class);

  private final FileSystem fs;
  private final FileContext fc;
  private final boolean local;

  /** Control files on {@code fs}. */
  public ControlFiles(FileSystem fs) throws IOException {
    this.fs = fs;
    this.fc = HadoopFiles.fileContext(fs);
    this.local = fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
  }

  /** The file system. */
  public FileSystem fs() {
    return fs;
  }

  /** The content of {@code file}, or empty if it does not exist. */
  public Optional<byte[]> read(Path file) throws IOException {
    try {
      return Optional.of(HadoopFiles.readAll(fs, file));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Replaces (or creates) {@code file} atomically; readers see the old or the new content. */
  public void replace(Path file, byte[] data) throws IOException {
    HadoopFiles.writeAtomically(fc, file, data);
  }

  /**
   * Creates {@code file} with {@code data} unless it exists; of several concurrent callers exactly
   * one succeeds (on HDFS and the local file system). Creates missing parent directories.
   *
   * @return true if this call created the file, false if it existed
   */
  public boolean createExclusively(Path file, byte[] data) throws IOException {
    Path qualified = fs.makeQualified(file);
    fs.mkdirs(qualified.getParent());
    return local ? createLocal(qualified, data) : createWithRename(qualified, data);
  }

  /**
   * Renames {@code file} to the new name {@code aside} in the same directory.
   *
   * @return false if {@code file} did not exist
   */
  public boolean moveAside(Path file, Path aside) throws IOException {
    try {
      fc.rename(file, aside);
      return true;
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** Deletes {@code path} (recursively), logging a failure instead of throwing it. */
  public void deleteQuietly(Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not delete {}: {}", path, e.toString());
    }
  }

  /** A fresh temporary sibling name of {@code file}. */
  public static Path tempSibling(Path file, String tag) {
    return new Path(
        file.getParent(),
        HadoopFiles.TMP_PREFIX + file.getName() + "-" + tag + "-" + UUID.randomUUID());
  }

  private boolean createWithRename(Path file, byte[] data) throws IOException {
    Path tmp = tempSibling(file, "new");
    try {
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        out.write(data);
        HadoopFiles.sync(out);
      }
      fc.rename(tmp, file);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      if (fs.exists(tmp)) {
        deleteQuietly(tmp);
      }
    }
  }

  private boolean createLocal(Path file, byte[] data) throws IOException {
    java.nio.file.Path target = Paths.get(file.toUri());
    java.nio.file.Path tmp =
        target.resolveSibling(
            HadoopFiles.TMP_PREFIX + target.getFileName() + "-new-" + UUID.randomUUID());
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      // A checksum file left by an earlier Hadoop-written file of the same name would mismatch the
      // new one; deleted first, so that no crash leaves the new file behind a stale checksum (one
      // deleted from under a concurrent winner only leaves its file unchecked).
      Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".crc"));
      try {
        Files.createLink(target, tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (Files.exists(target)) {
          return false;
        }
        // No hard links here: an O_EXCL create is still exclusive, only briefly empty.
        LOG.debug("Hard link {} failed ({}); creating it with CREATE_NEW", target, e.toString());
        try {
          Files.write(target, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e2) {
          return false;
        }
      }
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
