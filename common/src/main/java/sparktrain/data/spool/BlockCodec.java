package sparktrain.data.spool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import sparktrain.data.Example;

/**
 * The compact binary form of examples. One example travels packed ({@link #pack}) through the
 * spool's shuffle: an encoding byte, the label as a float and the features, one byte each when they
 * are all whole numbers in [0, 255] (pixels), else four. A block ({@link #encode}) stores several
 * examples: a header (magic, count, width, encoding), the labels as floats, then the features
 * row-major, as bytes when every example of the block fits in them, else as floats.
 */
final class BlockCodec {
  static final int MAGIC = 0x53544231; // "STB1"
  static final byte U8 = 0;
  static final byte F32 = 1;
  static final int HEADER_BYTES = 13;

  private BlockCodec() {}

  /** Whether every value is a whole number in [0, 255] (NaN is not). */
  static boolean fitsInBytes(float[] features) {
    for (float v : features) {
      if (!(v >= 0f && v <= 255f) || v != (int) v) {
        return false;
      }
    }
    return true;
  }

  /** One example, packed: encoding byte, label (float), features (bytes or floats). */
  static byte[] pack(Example e) {
    float[] f = e.features();
    boolean u8 = fitsInBytes(f);
    ByteBuffer b = ByteBuffer.allocate(5 + f.length * (u8 ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(u8 ? U8 : F32).putFloat((float) e.label());
    if (u8) {
      for (float v : f) {
        b.put((byte) (int) v);
      }
    } else {
      b.asFloatBuffer().put(f);
    }
    return b.array();
  }

  /** The number of features of a packed example. */
  static int width(byte[] packed) {
    return packed[0] == U8 ? packed.length - 5 : (packed.length - 5) / 4;
  }

  /** Encodes packed examples of {@code width} features each into one block. */
  static byte[] encode(List<byte[]> packed, int width) {
    boolean u8 = packed.stream().allMatch(p -> p[0] == U8);
    int n = packed.size();
    ByteBuffer b =
        ByteBuffer.allocate(HEADER_BYTES + 4 * n + n * width * (u8 ? 1 : 4))
            .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(n).putInt(width).put(u8 ? U8 : F32);
    for (byte[] p : packed) {
      b.putFloat(ByteBuffer.wrap(p, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }
    for (byte[] p : packed) {
      if (u8) {
        b.put(p, 5, width);
      } else if (p[0] == F32) {
        b.put(p, 5, 4 * width);
      } else {
        for (int j = 0; j < width; j++) {
          b.putFloat(p[5 + j] & 0xFF);
        }
      }
    }
    return b.array();
  }

  /** A decoded view of one block: reads example {@code i}'s label and features. */
  static final class Block {
    private final ByteBuffer buf;
    private final int count;
    private final int width;
    private final boolean u8;
    private final int featuresAt;

    Block(byte[] bytes, String where) {
      this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      if (bytes.length < HEADER_BYTES || buf.getInt(0) != MAGIC) {
        throw new IllegalStateException(where + ": not a sparktrain spool block (bad magic)");
      }
      this.count = buf.getInt(4);
      this.width = buf.getInt(8);
      this.u8 = buf.get(12) == U8;
      this.featuresAt = HEADER_BYTES + 4 * count;
      long expected = (long) featuresAt + (long) count * width * (u8 ? 1 : 4);
      if (expected != bytes.length) {
        throw new IllegalStateException(
            where + ": block of " + bytes.length + " bytes, its header says " + expected);
      }
    }

    int count() {
      return count;
    }

    int width() {
      return width;
    }

    float label(int i) {
      return buf.getFloat(HEADER_BYTES + 4 * i);
    }

    boolean bytes() {
      return u8;
    }

    /** Copies example {@code i}'s features, bytes in a byte block, into {@code dst}. */
    void bytes(int i, byte[] dst, int offset) {
      if (!u8) {
        throw new IllegalStateException("a block of floats read as bytes");
      }
      System.arraycopy(buf.array(), featuresAt + i * width, dst, offset, width);
    }

    /** Copies example {@code i}'s features into {@code dst} from {@code offset}. */
    void features(int i, float[] dst, int offset) {
      if (u8) {
        byte[] a = buf.array();
        int from = featuresAt + i * width;
        for (int j = 0; j < width; j++) {
          dst[offset + j] = a[from + j] & 0xFF;
        }
      } else {
        int from = featuresAt + 4 * i * width;
        for (int j = 0; j < width; j++) {
          dst[offset + j] = buf.getFloat(from + 4 * j);
        }
      }
    }
  }
}
