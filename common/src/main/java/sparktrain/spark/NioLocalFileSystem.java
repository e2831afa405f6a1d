package sparktrain.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's checksummed local file system, with permissions set through {@code java.nio} instead of
 * a forked {@code chmod} process.
 *
 * <p>Without Hadoop's native library (which Spark's Maven artifacts don't ship), {@link
 * RawLocalFileSystem} forks {@code chmod} for every file and directory it creates. DL4J's export
 * approach writes one file per minibatch, so a 60,000-example MNIST epoch forked thousands of
 * processes from a multi-GB JVM: over a minute per run on 2 cores. sparktrain registers this class
 * as {@code fs.file.impl} (see {@link SparkSessions}); behaviour is otherwise Hadoop's own.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  /** Creates the file system (Hadoop instantiates it reflectively). */
  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }

  /** The raw (checksum-less) layer with the {@code java.nio} permission setter. */
  public static class NioRawLocalFileSystem extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
      } catch (UnsupportedOperationException e) {
        super.setPermission(p, permission); // not a POSIX file system: Hadoop's own way
      }
    }
  }

  static Set<PosixFilePermission> posix(FsPermission p) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    add(
        s,
        p.getUserAction(),
        PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(
        s,
        p.getGroupAction(),
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(
        s,
        p.getOtherAction(),
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return s;
  }

  private static void add(
      Set<PosixFilePermission> s,
      FsAction a,
      PosixFilePermission r,
      PosixFilePermission w,
      PosixFilePermission x) {
    if (a.implies(FsAction.READ)) {
      s.add(r);
    }
    if (a.implies(FsAction.WRITE)) {
      s.add(w);
    }
    if (a.implies(FsAction.EXECUTE)) {
      s.add(x);
    }
  }
}
