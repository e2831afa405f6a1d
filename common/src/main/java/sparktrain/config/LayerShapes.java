package sparktrain.config;

import static sparktrain.config.ConfigKeys.LAYER_KERNEL;
import static sparktrain.config.ConfigKeys.LAYER_TYPE;

import java.util.List;

/**
 * Follows the input's shape through the layers, so that a layer that cannot work on its input is a
 * config error naming the layer, not a DL4J exception at build time: convolution and subsampling
 * layers need an image (an image input, not yet flattened by a dense layer), and their kernel must
 * fit the image they get.
 */
final class LayerShapes {

  private LayerShapes() {}

  /**
   * Reports the first shape problem to the reader of the layer that has it.
   *
   * @param readers the readers of {@code layers}, index by index
   */
  static void check(InputConfig input, List<LayerConfig> layers, List<ConfigReader> readers) {
    if (input.type() == null) {
      return;
    }
    Size2D image =
        input.type() == InputType.IMAGE ? new Size2D(input.height(), input.width()) : null;
    int flattenedBy = -1;
    for (int i = 0; i < layers.size(); i++) {
      LayerConfig layer = layers.get(i);
      ConfigReader in = readers.get(i);
      if (layer.type().needsImage()) {
        if (image == null) {
          in.problem(
              LAYER_TYPE,
              flattenedBy < 0
                  ? layer.type().describe()
                      + " needs an image input: set model.input.type = image (with height, width"
                      + " and channels)"
                  : layer.type().describe()
                      + " cannot follow the dense layer at entry "
                      + flattenedBy
                      + " (its output is flat)");
          return;
        }
        KernelConfig kernel = layer.kernel();
        Size2D output = kernel.output(image);
        if (output == null) {
          in.problem(
              LAYER_KERNEL,
              "expected a kernel that fits this layer's "
                  + image
                  + " input"
                  + (kernel.padding().equals(Size2D.square(0))
                      ? ""
                      : " padded by " + kernel.padding())
                  + ", got "
                  + kernel.kernel());
          return;
        }
        image = output;
      } else if (layer.type() == LayerType.DENSE || layer.type() == LayerType.OUTPUT) {
        image = null;
        flattenedBy = i;
      }
    }
  }
}
