package sparktrain.data.generate;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.data.DataException;
import sparktrain.data.HadoopPaths;

/**
 * Writes an IDX images/labels pair {@code copies} times larger than its source: copy 0 is the
 * source itself, every other copy of an image is shifted by a seeded random offset of up to {@code
 * maxShift} pixels in each direction (the vacated pixels are 0), the usual augmentation of MNIST.
 * Records come copy by copy in the source's order, or grouped by label ({@code sortByLabel}: all
 * 0s, then all 1s, ...) to test that training does not depend on the input's order. The source is
 * read into memory once (47 MB for MNIST's training set); the output is streamed.
 */
public final class ScaledMnist {
  private ScaledMnist() {}

  /** What was written. */
  public record Result(String images, String labels, long records, long bytes) {}

  /**
   * Writes {@code outDir/train-images-idx3-ubyte} and {@code outDir/train-labels-idx1-ubyte}.
   *
   * @throws DataException if the source is not an IDX pair of images and labels
   */
  public static Result write(
      String imagesPath,
      String labelsPath,
      String outDir,
      int copies,
      int maxShift,
      boolean sortByLabel,
      long seed,
      Configuration conf)
      throws IOException {
    if (copies < 1) {
      throw new IllegalArgumentException("copies must be >= 1, got " + copies);
    }
    byte[] images = readAll(imagesPath, conf);
    byte[] labels = readAll(labelsPath, conf);
    int count = header(images, 0x00000803, 3, imagesPath);
    int rows = readInt(images, 8);
    int cols = readInt(images, 12);
    if (header(labels, 0x00000801, 1, labelsPath) != count) {
      throw new DataException(
          labelsPath + " has " + readInt(labels, 4) + " labels, " + imagesPath + " " + count);
    }
    int size = rows * cols;
    if (images.length < 16L + (long) count * size || labels.length < 8L + count) {
      throw new DataException(imagesPath + " or " + labelsPath + " is truncated");
    }
    long total = (long) count * copies;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("more than 2^31 records: " + total);
    }
    Path dir = HadoopPaths.qualify(outDir, conf);
    FileSystem fs = dir.getFileSystem(conf);
    fs.mkdirs(dir);
    Path imagesOut = new Path(dir, "train-images-idx3-ubyte");
    Path labelsOut = new Path(dir, "train-labels-idx1-ubyte");
    byte[] shifted = new byte[size];
    try (DataOutputStream img =
            new DataOutputStream(new BufferedOutputStream(fs.create(imagesOut, true), 1 << 20));
        DataOutputStream lab =
            new DataOutputStream(new BufferedOutputStream(fs.create(labelsOut, true), 1 << 16))) {
      img.writeInt(0x00000803);
      img.writeInt((int) total);
      img.writeInt(rows);
      img.writeInt(cols);
      lab.writeInt(0x00000801);
      lab.writeInt((int) total);
      int passes = sortByLabel ? 256 : 1;
      for (int pass = 0; pass < passes; pass++) {
        for (int copy = 0; copy < copies; copy++) {
          for (int i = 0; i < count; i++) {
            int label = labels[8 + i] & 0xFF;
            if (sortByLabel && label != pass) {
              continue;
            }
            SplittableRandom r = new SplittableRandom(seed ^ (((long) copy << 32) | i));
            int dx = copy == 0 ? 0 : r.nextInt(-maxShift, maxShift + 1);
            int dy = copy == 0 ? 0 : r.nextInt(-maxShift, maxShift + 1);
            shift(images, 16 + i * size, rows, cols, dx, dy, shifted);
            img.write(shifted);
            lab.write(label);
          }
        }
      }
    }
    return new Result(
        imagesOut.toString(), labelsOut.toString(), total, 16L + total * size + 8L + total);
  }

  private static void shift(byte[] src, int from, int rows, int cols, int dx, int dy, byte[] dst) {
    java.util.Arrays.fill(dst, (byte) 0);
    for (int y = 0; y < rows; y++) {
      int sy = y - dy;
      if (sy < 0 || sy >= rows) {
        continue;
      }
      for (int x = 0; x < cols; x++) {
        int sx = x - dx;
        if (sx >= 0 && sx < cols) {
          dst[y * cols + x] = src[from + sy * cols + sx];
        }
      }
    }
  }

  private static int header(byte[] b, int magic, int dims, String path) {
    if (b.length < 4 + 4 * dims || readInt(b, 0) != magic) {
      throw new DataException(
          path + ": not an IDX file of " + dims + " dimension(s) of unsigned bytes");
    }
    return readInt(b, 4);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  private static byte[] readAll(String path, Configuration conf) throws IOException {
    Path p = HadoopPaths.qualify(path, conf);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new DataException(path + ": no such file");
    }
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
