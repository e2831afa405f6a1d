package sparktrain.config;

/**
 * How a convolution or subsampling layer treats the image border. {@code truncate}: output size
 * {@code floor((input - kernel + 2 * padding) / stride) + 1}, the rest of the input is dropped;
 * {@code same}: output size {@code ceil(input / stride)}, padded as needed (padding must be 0).
 */
public enum ConvolutionMode implements ConfigEnum {
  TRUNCATE,
  SAME;

  /** Parses a config spelling such as {@code "same"}. */
  public static ConvolutionMode fromConfig(String text) {
    return ConfigEnum.parse(ConvolutionMode.class, text);
  }
}
