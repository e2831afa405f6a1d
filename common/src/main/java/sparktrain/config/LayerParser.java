package sparktrain.config;

import static sparktrain.config.ConfigKeys.LAYER_ACTIVATION;
import static sparktrain.config.ConfigKeys.LAYER_CONVOLUTION_MODE;
import static sparktrain.config.ConfigKeys.LAYER_DROPOUT;
import static sparktrain.config.ConfigKeys.LAYER_FILTERS;
import static sparktrain.config.ConfigKeys.LAYER_KERNEL;
import static sparktrain.config.ConfigKeys.LAYER_L1;
import static sparktrain.config.ConfigKeys.LAYER_L2;
import static sparktrain.config.ConfigKeys.LAYER_LOSS;
import static sparktrain.config.ConfigKeys.LAYER_PADDING;
import static sparktrain.config.ConfigKeys.LAYER_POOLING;
import static sparktrain.config.ConfigKeys.LAYER_STRIDE;
import static sparktrain.config.ConfigKeys.LAYER_TYPE;
import static sparktrain.config.ConfigKeys.LAYER_UNITS;
import static sparktrain.config.ConfigKeys.LAYER_WEIGHT_INIT;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sparktrain.config.ConfigKeys.Key;

/**
 * Reads one {@code model.layers} entry: the keys its type allows and requires, with the model-level
 * defaults (dropout, l1, l2, weight init) applied to the layers with weights. Problems go to the
 * entry's {@link ConfigReader}.
 */
final class LayerParser {

  private static final Size2D NO_PADDING = Size2D.square(0);

  private LayerParser() {}

  /** The layer in {@code entry}; its type is null when missing or misspelt. */
  static LayerConfig parse(ConfigObject entry, ConfigReader in, LayerConfig defaults) {
    LayerType type =
        in.require(LAYER_TYPE, "in every layer") ? in.oneOf(LAYER_TYPE, LayerType.class) : null;
    checkKeys(entry, in, type);
    if (type == null) {
      return new LayerConfig(null, 0, null, null, 0, 0, 0, null);
    }
    String where = "in " + type.describe();
    int units =
        switch (type) {
          case DENSE, OUTPUT -> in.require(LAYER_UNITS, where) ? in.integer(LAYER_UNITS) : 0;
          case CONVOLUTION -> in.require(LAYER_FILTERS, where) ? in.integer(LAYER_FILTERS) : 0;
          default -> 0;
        };
    Activation activation =
        switch (type) {
          case DENSE, OUTPUT, CONVOLUTION ->
              in.require(LAYER_ACTIVATION, where)
                  ? in.oneOf(LAYER_ACTIVATION, Activation.class)
                  : null;
          case BATCH_NORM ->
              in.has(LAYER_ACTIVATION)
                  ? in.oneOf(LAYER_ACTIVATION, Activation.class)
                  : Activation.IDENTITY;
          default -> null;
        };
    LossFunction loss =
        type == LayerType.OUTPUT && in.require(LAYER_LOSS, where)
            ? in.oneOf(LAYER_LOSS, LossFunction.class)
            : null;
    KernelConfig kernel = type.needsImage() ? kernel(in, type, where) : null;
    PoolingType pooling =
        type == LayerType.SUBSAMPLING && in.require(LAYER_POOLING, where)
            ? in.oneOf(LAYER_POOLING, PoolingType.class)
            : null;
    if (!type.hasWeights()) {
      double dropout = type == LayerType.DROPOUT ? dropoutLayerRate(in, where) : 0;
      return new LayerConfig(type, units, activation, loss, dropout, 0, 0, null, kernel, pooling);
    }
    return new LayerConfig(
        type,
        units,
        activation,
        loss,
        in.has(LAYER_DROPOUT) ? in.decimal(LAYER_DROPOUT) : defaults.dropout(),
        in.has(LAYER_L1) ? in.decimal(LAYER_L1) : defaults.l1(),
        in.has(LAYER_L2) ? in.decimal(LAYER_L2) : defaults.l2(),
        in.has(LAYER_WEIGHT_INIT)
            ? in.oneOf(LAYER_WEIGHT_INIT, WeightInit.class)
            : defaults.weightInit(),
        kernel,
        pooling);
  }

  /** Every key of the entry must belong to its type; a key of another type says whose it is. */
  private static void checkKeys(ConfigObject entry, ConfigReader in, LayerType type) {
    Set<String> allowed = ConfigKeys.layerKeys(type);
    for (String key : new TreeSet<>(entry.keySet())) {
      if (allowed.contains(key)) {
        continue;
      }
      String hint;
      if (type == LayerType.CONVOLUTION && key.equals(LAYER_UNITS.path())) {
        hint = "; a convolution layer's units are its 'filters'";
      } else if (ConfigKeys.layerKeys(null).contains(key)) {
        hint = "; " + owners(key);
      } else {
        hint = UnknownKeys.suggestion(key, allowed);
      }
      String kind = type == null ? "a layer" : type.describe();
      in.problem(Key.of(ConfigUtil.joinPath(key)), "unknown key in " + kind + hint);
    }
  }

  /** {@code "only the output layer has 'loss'"}, {@code "only dense, ... layers have 'l2'"}. */
  private static String owners(String key) {
    List<String> types = new ArrayList<>();
    for (LayerType type : LayerType.values()) {
      if (ConfigKeys.layerKeys(type).contains(key)) {
        types.add(type.configName());
      }
    }
    if (types.equals(List.of(LayerType.OUTPUT.configName()))) {
      return "only the output layer has '" + key + "'";
    }
    String last = types.remove(types.size() - 1);
    String names = types.isEmpty() ? last : String.join(", ", types) + " and " + last;
    return "only " + names + " layers have '" + key + "'";
  }

  /**
   * The window of a convolution or subsampling layer, or null after a problem. Defaults: stride 1
   * for convolution and the kernel itself for subsampling, padding 0, mode truncate.
   */
  private static KernelConfig kernel(ConfigReader in, LayerType type, String where) {
    Size2D kernel = in.require(LAYER_KERNEL, where) ? in.size2D(LAYER_KERNEL) : null;
    Size2D stride =
        in.has(LAYER_STRIDE)
            ? in.size2D(LAYER_STRIDE)
            : type == LayerType.SUBSAMPLING ? kernel : Size2D.square(1);
    Size2D padding = in.has(LAYER_PADDING) ? in.size2D(LAYER_PADDING) : NO_PADDING;
    ConvolutionMode mode =
        in.has(LAYER_CONVOLUTION_MODE)
            ? in.oneOf(LAYER_CONVOLUTION_MODE, ConvolutionMode.class)
            : ConvolutionMode.TRUNCATE;
    if (mode == ConvolutionMode.SAME && padding != null && !padding.equals(NO_PADDING)) {
      in.problem(
          LAYER_PADDING,
          "expected 0 with convolution-mode same (it pads as needed), got " + padding);
      return null;
    }
    if (kernel == null || stride == null || padding == null || mode == null) {
      return null;
    }
    return new KernelConfig(kernel, stride, padding, mode);
  }

  /** The required dropout of a dropout layer: in (0, 1). */
  private static double dropoutLayerRate(ConfigReader in, String where) {
    if (!in.require(LAYER_DROPOUT, where)) {
      return 0;
    }
    double dropout = in.decimal(LAYER_DROPOUT);
    if (in.ok(LAYER_DROPOUT) && dropout == 0) {
      in.problem(LAYER_DROPOUT, "expected a value in (0, 1) in a dropout layer, got 0");
    }
    return dropout;
  }
}
