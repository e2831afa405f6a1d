package sparktrain.config;

/**
 * The {@code model.input} section: shape of one example.
 *
 * @param size values per example: {@code model.input.size} for feed-forward, height x width x
 *     channels for an image (the data arrives flattened either way)
 * @param height image height; 0 for feed-forward
 * @param width image width; 0 for feed-forward
 * @param channels image channels; 0 for feed-forward
 */
public record InputConfig(InputType type, int size, int height, int width, int channels) {

  /** A flat vector of {@code size} values. */
  public static InputConfig feedForward(int size) {
    return new InputConfig(InputType.FEED_FORWARD, size, 0, 0, 0);
  }

  /** An image, flattened channel by channel, then row by row. */
  public static InputConfig image(int height, int width, int channels) {
    return new InputConfig(InputType.IMAGE, height * width * channels, height, width, channels);
  }
}
