package sparktrain.keras;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.io.HadoopFiles;

/**
 * The bytes of a Keras file on any Hadoop file system, with their SHA-256; HDF5 files (recognized
 * by their signature) are read through a local copy, since the HDF5 library reads local files only.
 */
record KerasFile(String path, byte[] bytes, String sha256) {

  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** Reads {@code path} (any Hadoop FS URI, or a local path). */
  static KerasFile read(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(new Configuration());
      if (!fs.isFile(p)) {
        throw new KerasImportException(path + ": no such file");
      }
      byte[] bytes = HadoopFiles.readAll(fs, p);
      return new KerasFile(path, bytes, HadoopFiles.sha256(bytes));
    } catch (IOException e) {
      throw new KerasImportException(path + ": cannot read it: " + e.getMessage(), e);
    }
  }

  /** Whether the file is HDF5 (a Keras {@code .h5}), not JSON. */
  boolean isHdf5() {
    return bytes.length >= HDF5_SIGNATURE.length
        && Arrays.equals(Arrays.copyOf(bytes, HDF5_SIGNATURE.length), HDF5_SIGNATURE);
  }

  /** Writes the bytes to a new local temporary file (the caller deletes it). */
  java.nio.file.Path localCopy(String suffix) throws IOException {
    java.nio.file.Path local = Files.createTempFile("sparktrain-keras-", suffix);
    Files.write(local, bytes);
    return local;
  }
}
