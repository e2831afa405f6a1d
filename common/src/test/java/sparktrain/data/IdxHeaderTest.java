package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sparktrain.data.MnistSlices.IMAGE_HEADER;
import static sparktrain.data.MnistSlices.PIXELS;
import static sparktrain.data.MnistSlices.TRAIN_IMAGES;
import static sparktrain.data.MnistSlices.TRAIN_LABELS;
import static sparktrain.data.MnistSlices.bytes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxHeaderTest {
  private static final Configuration CONF = new Configuration();

  @TempDir java.nio.file.Path dir;

  private static IdxHeader read(java.nio.file.Path file) {
    return IdxHeader.read(new Path(file.toUri()), CONF);
  }

  @Test
  void readsTheImagesSliceHeader() {
    IdxHeader h = read(MnistSlices.path(TRAIN_IMAGES));

    assertThat(h.dims()).containsExactly(2500, 28, 28);
    assertThat(h.count()).isEqualTo(2500);
    assertThat(h.numDims()).isEqualTo(3);
    assertThat(h.dataType()).isEqualTo(IdxHeader.TYPE_UNSIGNED_BYTE);
    assertThat(h.headerSize()).isEqualTo(16);
    assertThat(h.recordSize()).isEqualTo(784);
    assertThat(h.offsetOf(3)).isEqualTo(16 + 3 * 784);
    assertThat(h.fileLength()).isEqualTo(16 + 2500L * 784);
    assertThat(h.path()).startsWith("file:").endsWith("/mnist/" + TRAIN_IMAGES);
  }

  @Test
  void readsTheLabelsSliceHeader() {
    IdxHeader h = read(MnistSlices.path(TRAIN_LABELS));

    assertThat(h.dims()).containsExactly(2500);
    assertThat(h.headerSize()).isEqualTo(8);
    assertThat(h.recordSize()).isEqualTo(1);
    assertThat(h.offsetOf(10)).isEqualTo(18);
  }

  @Test
  void emptyFile() throws IOException {
    java.nio.file.Path file = MnistSlices.write(dir, "empty", new byte[0]);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("empty file");
  }

  @Test
  void wrongMagicNumberSaysWhatWasFound() throws IOException {
    java.nio.file.Path file =
        MnistSlices.write(dir, "labels.csv", "5,0,4,1\n".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("wrong magic number")
        .hasMessageContaining("expected an IDX file")
        .hasMessageContaining("found 0x35 0x2c 0x30 0x2c")
        .hasMessageNotContaining("gzip");
  }

  @Test
  void gzipFileGetsAGunzipHint() throws IOException {
    java.nio.file.Path file = MnistSlices.gzipped(dir, TRAIN_LABELS);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("wrong magic number")
        .hasMessageContaining("found 0x1f 0x8b")
        .hasMessageContaining("gzip")
        .hasMessageContaining("gunzip");
  }

  @Test
  void unsupportedDataType() throws IOException {
    byte[] content = bytes(TRAIN_LABELS);
    content[2] = 0x0d;
    java.nio.file.Path file = MnistSlices.write(dir, "floats", content);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unsupported IDX data type 0x0d (float)")
        .hasMessageContaining("only 0x08");
  }

  @Test
  void truncatedDataSaysExpectedAndFoundLengths() throws IOException {
    int length = IMAGE_HEADER + 10 * PIXELS + 100;
    java.nio.file.Path file = MnistSlices.truncated(dir, TRAIN_IMAGES, length);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("2500 records of 784 bytes")
        .hasMessageContaining("should be 1960016 bytes")
        .hasMessageContaining("found " + length + " bytes")
        .hasMessageContaining("10 complete records");
  }

  @Test
  void truncatedHeader() throws IOException {
    java.nio.file.Path file = MnistSlices.truncated(dir, TRAIN_IMAGES, 10);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated header")
        .hasMessageContaining("16-byte header, found 10 bytes");
  }

  @Test
  void fileShorterThanTheMagicNumber() throws IOException {
    java.nio.file.Path file = MnistSlices.truncated(dir, TRAIN_IMAGES, 3);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated header")
        .hasMessageContaining("found 3");
  }

  @Test
  void trailingBytes() throws IOException {
    byte[] original = bytes(TRAIN_LABELS);
    java.nio.file.Path file =
        MnistSlices.write(dir, "labels-plus-3", Arrays.copyOf(original, original.length + 3));

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("trailing bytes")
        .hasMessageContaining("should be 2508 bytes")
        .hasMessageContaining("found 2511 bytes")
        .hasMessageContaining("3 bytes too many");
  }

  @Test
  void zeroDimensions() throws IOException {
    java.nio.file.Path file = MnistSlices.write(dir, "nodims", new byte[] {0, 0, 8, 0});

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("0 dimensions");
  }

  @Test
  void negativeDimension() throws IOException {
    byte[] content = bytes(TRAIN_IMAGES).clone();
    content[8] = (byte) 0xff; // rows = 0xff00001c < 0
    java.nio.file.Path file = MnistSlices.write(dir, "negative", content);

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("invalid size")
        .hasMessageContaining("dimension 1 at byte offset 8");
  }

  @Test
  void missingFileNamesThePath() {
    java.nio.file.Path file = dir.resolve("no-such-file-idx3-ubyte");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("file not found");
  }

  @Test
  void directoryIsRejected() throws IOException {
    java.nio.file.Path sub = Files.createDirectory(dir.resolve("a-directory"));

    assertThatThrownBy(() -> read(sub))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(sub.toString())
        .hasMessageContaining("is a directory");
  }
}
