package sparktrain.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  void aCrashBetweenRenamingTheDataAndItsChecksumsLeavesAReadableFile() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path dst =
        new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "metrics.jsonl");
    String one = "one\n".repeat(300); // more than one 512-byte checksum chunk
    String two = "two\n".repeat(400);
    HadoopFiles.writeAtomically(fs, dst, one.getBytes(StandardCharsets.UTF_8));
    assertThat(tmp.resolve(".metrics.jsonl.crc")).exists();

    // Hadoop's checksummed rename moves the data, then the .crc: the JVM dies in between.
    HadoopFiles.beforeRename =
        (t, d) -> {
          try {
            Files.move(Path.of(t.toUri()), Path.of(d.toUri()), StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          throw new IllegalStateException("crash");
        };
    try {
      assertThatThrownBy(
              () -> HadoopFiles.writeAtomically(fs, dst, two.getBytes(StandardCharsets.UTF_8)))
          .hasMessage("crash");
    } finally {
      HadoopFiles.beforeRename = (t, d) -> {};
    }

    assertThat(new String(HadoopFiles.readAll(fs, dst), StandardCharsets.UTF_8)).isEqualTo(two);
    HadoopFiles.writeAtomically(fs, dst, one.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(HadoopFiles.readAll(fs, dst), StandardCharsets.UTF_8)).isEqualTo(one);
    assertThat(tmp.resolve(".metrics.jsonl.crc")).as("checksums again").exists();
  }

  @Test
  void readAllReadsAFileBehindAStaleChecksumFileUnchecked() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "summary.json");
    HadoopFiles.writeAtomically(fs, file, "{\"old\": 1}".getBytes(StandardCharsets.UTF_8));
    // what an older release's crash left: the new data renamed in, the old .crc still there
    Files.writeString(tmp.resolve("summary.json"), "{\"new\": 2}");

    assertThatThrownBy(() -> fs.open(file).readAllBytes())
        .isInstanceOf(org.apache.hadoop.fs.ChecksumException.class);
    assertThat(new String(HadoopFiles.readAll(fs, file), StandardCharsets.UTF_8))
        .isEqualTo("{\"new\": 2}");
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
