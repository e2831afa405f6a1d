package sparktrain.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Turns user-given path strings into fully qualified Hadoop paths. */
public final class HadoopPaths {
  private HadoopPaths() {}

  /**
   * Qualifies a path given by the user.
   *
   * <ul>
   *   <li>With a scheme ({@code file:}, {@code hdfs:}, {@code s3a:}, ...): used as given, qualified
   *       against its own file system.
   *   <li>Relative without a scheme: resolved against this JVM's working directory on the local
   *       file system ({@code file:}).
   *   <li>Absolute without a scheme: qualified against the default file system ({@code
   *       fs.defaultFS}, which is the local one unless a cluster configuration says otherwise).
   * </ul>
   *
   * @throws IllegalArgumentException if the path is null or blank
   * @throws UncheckedIOException if the file system of the path cannot be created (for example
   *     {@code s3a:} without its jar on the classpath)
   */
  public static Path qualify(String path, Configuration conf) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("path is empty; expected a file path or URI");
    }
    Path p = new Path(path);
    try {
      if (p.toUri().getScheme() == null && !p.isAbsolute()) {
        return FileSystem.getLocal(conf).makeQualified(p);
      }
      return p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + path + ": " + e, e);
    }
  }
}
