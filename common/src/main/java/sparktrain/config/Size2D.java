package sparktrain.config;

/** A height and a width: of a kernel, a stride, a padding or an image. */
public record Size2D(int height, int width) {

  /** The same value for height and width. */
  public static Size2D square(int size) {
    return new Size2D(size, size);
  }

  /** {@code 5x5}, as messages show it. */
  @Override
  public String toString() {
    return height + "x" + width;
  }
}
