package sparktrain.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  private static FileSystem fs() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.permissions.umask-mode", "022");
    FileSystem fs = FileSystem.get(java.net.URI.create("file:///"), conf);
    assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
    return fs;
  }

  @Test
  void createdFilesAndDirectoriesGetHadoopsPermissionsWithTheUmask(@TempDir Path tmp)
      throws Exception {
    FileSystem fs = fs();
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "a/b");
    assertThat(fs.mkdirs(dir)).isTrue();
    try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(dir, "f.bin"))) {
      out.write(new byte[] {1, 2, 3});
    }
    Path file = tmp.resolve("a/b/f.bin");
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b"))))
        .isEqualTo("rwxr-xr-x");
    // checksums still work: the .crc sibling exists and reading verifies it
    assertThat(tmp.resolve("a/b/.f.bin.crc")).exists();
  }

  @Test
  void explicitSetPermissionIsApplied(@TempDir Path tmp) throws Exception {
    Path f = Files.writeString(tmp.resolve("x"), "x");
    fs().setPermission(
            new org.apache.hadoop.fs.Path(f.toUri().toString()), new FsPermission((short) 0640));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r-----");
  }
}
