package sparktrain.keras;

import java.util.List;
import java.util.Map;

/**
 * A Keras Sequential model translated into sparktrain's config vocabulary.
 *
 * @param path the file it was read from (any Hadoop FS path)
 * @param sha256 SHA-256 of that file
 * @param kerasVersion the {@code keras_version} the file records ("" when it has none)
 * @param input the {@code model.input} section (type, size, height, width, channels)
 * @param layers the {@code model.layers} entries, the last one of type output without a loss
 * @param outputActivation the output layer's sparktrain activation
 * @param dl4jJson the model's JSON in the Keras 2.0.x layout (a list of layers, the input shape on
 *     the first), as DL4J's importer reads it
 * @param training what the whole-model file's training config says, or null when it has none
 */
public record KerasModel(
    String path,
    String sha256,
    String kerasVersion,
    Map<String, Object> input,
    List<Map<String, Object>> layers,
    String outputActivation,
    String dl4jJson,
    KerasTrainingConfig training) {

  /**
   * The output loss by the output activation: softmax → sparse-mcxent, sigmoid → xent, else mse.
   */
  public String defaultLoss() {
    return switch (outputActivation) {
      case "softmax" -> "sparse-mcxent";
      case "sigmoid" -> "xent";
      default -> "mse";
    };
  }
}
