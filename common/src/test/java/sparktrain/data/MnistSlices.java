package sparktrain.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** The real MNIST slices in src/test/resources/mnist and corrupted copies of them. */
final class MnistSlices {
  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  static final int TRAIN_COUNT = 2500;
  static final int TEST_COUNT = 1000;
  static final int IMAGE_HEADER = 16;
  static final int LABEL_HEADER = 8;
  static final int PIXELS = 28 * 28;

  private MnistSlices() {}

  /** The local path of a slice. */
  static Path path(String name) {
    try {
      return Paths.get(MnistSlices.class.getResource("/mnist/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code file:} URI string of a slice. */
  static String uri(String name) {
    return path(name).toUri().toString();
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code content} to {@code dir/fileName} and returns the file. */
  static Path write(Path dir, String fileName, byte[] content) throws IOException {
    Path file = dir.resolve(fileName);
    Files.write(file, content);
    return file;
  }

  /** A copy of slice {@code name} cut to {@code length} bytes. */
  static Path truncated(Path dir, String name, int length) throws IOException {
    return write(dir, name + ".truncated", Arrays.copyOf(bytes(name), length));
  }

  /** A gzip-compressed copy of slice {@code name}. */
  static Path gzipped(Path dir, String name) throws IOException {
    Path file = dir.resolve(name + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(bytes(name));
    }
    return file;
  }
}
