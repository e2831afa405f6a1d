package sparktrain.config;

import java.util.List;

/**
 * The {@code model} section. {@code weightInit}, {@code l1}, {@code l2} and {@code dropout} are the
 * model-level defaults, already applied to each {@link LayerConfig}.
 *
 * @param layers from input to output; the last one is the only output layer
 */
public record ModelConfig(
    InputConfig input,
    List<LayerConfig> layers,
    WeightInit weightInit,
    double l1,
    double l2,
    double dropout,
    UpdaterConfig updater) {

  /** Copies {@code layers} so that the record is immutable. */
  public ModelConfig {
    layers = List.copyOf(layers);
  }

  /** The output layer (the last one). */
  public LayerConfig outputLayer() {
    return layers.get(layers.size() - 1);
  }
}
