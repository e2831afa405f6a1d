package sparktrain.config;

/**
 * Where an imported Keras model came from ({@code model.keras-import}, written by the import): all
 * blank for a model given as {@code model.layers}.
 *
 * @param source the {@code model.keras} path
 * @param sha256 SHA-256 of that file
 * @param kerasVersion its {@code keras_version}
 * @param weights the {@code model.keras-weights} path, blank for none
 * @param weightsSha256 SHA-256 of the weights file
 */
public record KerasOrigin(
    String source, String sha256, String kerasVersion, String weights, String weightsSha256) {

  /** Whether the model was imported from a Keras file. */
  public boolean imported() {
    return !source.isBlank();
  }

  /** Whether training starts from Keras weights. */
  public boolean hasWeights() {
    return !weights.isBlank();
  }
}
