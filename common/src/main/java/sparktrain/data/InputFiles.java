package sparktrain.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data files an input path names: the file itself, the files of a directory (not recursive), or
 * the matches of a glob; names starting with {@code _} or {@code .} (Spark's {@code _SUCCESS},
 * checksum files) are left out, as Hadoop's input formats do.
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * The fully qualified URIs of the files at {@code path}, sorted.
   *
   * @throws DataException if nothing matches {@code path} or it holds no data files
   */
  public static List<String> list(String path, Configuration conf) {
    Path qualified = HadoopPaths.qualify(path, conf);
    try {
      FileSystem fs = qualified.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(qualified);
      if (matches == null || matches.length == 0) {
        throw new DataException(
            qualified + ": no such file or directory (the configured path is '" + path + "')");
      }
      List<String> files = new ArrayList<>();
      for (FileStatus m : matches) {
        if (m.isFile()) {
          files.add(m.getPath().toString());
          continue;
        }
        for (FileStatus child : fs.listStatus(m.getPath())) {
          String name = child.getPath().getName();
          if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
            files.add(child.getPath().toString());
          }
        }
      }
      if (files.isEmpty()) {
        throw new DataException(qualified + ": no input files (an empty directory)");
      }
      files.sort(null);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input " + qualified + ": " + e, e);
    }
  }
}
