package sparktrain.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {
  @TempDir Path tmp;

  @Test
  void writeAtomicallyReplacesExistingFileAndLeavesNoTemporaries() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path dst =
        new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "a/LATEST");

    HadoopFiles.writeAtomically(fs, dst, "one".getBytes(StandardCharsets.UTF_8));
    HadoopFiles.writeAtomically(fs, dst, "two".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.readString(tmp.resolve("a/LATEST"))).isEqualTo("two");
    try (var entries = Files.list(tmp.resolve("a"))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(HadoopFiles.TMP_PREFIX));
    }
  }

  @Test
  void sha256StreamsTheFile() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path file = tmp.resolve("abc.txt");
    Files.writeString(file, "abc");

    assertThat(HadoopFiles.sha256(fs, new org.apache.hadoop.fs.Path(file.toUri())))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        .isEqualTo(HadoopFiles.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
  }
}
