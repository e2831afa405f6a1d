package sparktrain.config;

/**
 * The sliding window of a convolution or subsampling layer.
 *
 * @param padding zeros added on each side; always 0x0 with {@link ConvolutionMode#SAME}
 */
public record KernelConfig(Size2D kernel, Size2D stride, Size2D padding, ConvolutionMode mode) {

  /**
   * The output size of this window over {@code input}, or null when the kernel does not fit (in
   * truncate mode: larger than the padded input).
   */
  public Size2D output(Size2D input) {
    if (mode == ConvolutionMode.SAME) {
      return new Size2D(
          ceilDiv(input.height(), stride.height()), ceilDiv(input.width(), stride.width()));
    }
    int h = input.height() + 2 * padding.height() - kernel.height();
    int w = input.width() + 2 * padding.width() - kernel.width();
    if (h < 0 || w < 0) {
      return null;
    }
    return new Size2D(h / stride.height() + 1, w / stride.width() + 1);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
