package sparktrain.config;

import static sparktrain.config.ConfigKeys.DATA_NUM_CLASSES;
import static sparktrain.config.ConfigKeys.LAYER_ACTIVATION;
import static sparktrain.config.ConfigKeys.LAYER_UNITS;
import static sparktrain.config.ConfigKeys.MIN_CLASSES;

/**
 * The output layer's loss, activation and units must fit together and fit {@code data.num-classes};
 * a mismatch would otherwise train a silently useless model.
 *
 * <ul>
 *   <li>mcxent, sparse-mcxent: softmax, units = num-classes;
 *   <li>xent (binary cross-entropy): sigmoid, 1 unit (binary) or num-classes units (multi-label);
 *   <li>one unit is binary classification (labels 0/1): num-classes is 2, or left at its default
 *       (which a one-unit output ignores);
 *   <li>hinge: identity or tanh, 1 unit (binary) or num-classes units (one-vs-all); labels are
 *       class indexes like every classifier's, turned into the -1/+1 targets hinge takes;
 *   <li>mse, mae (regression): anything but softmax; num-classes is not used;
 *   <li>softmax over a single unit is always an error (it outputs 1);
 *   <li>classification losses need num-classes >= 2.
 * </ul>
 */
final class OutputRules {

  /**
   * {@code data.num-classes} of reference.conf. A one-unit output ignores num-classes, so it may
   * stay at this default: a run's rendered config ({@code config.conf}, a model's manifest), parsed
   * again by evaluate, predict and retrain, repeats the default as if it had been set.
   */
  private static final int REFERENCE_NUM_CLASSES =
      ConfigLoader.reference().getInt(DATA_NUM_CLASSES.path());

  private OutputRules() {}

  static void check(LayerConfig output, ConfigReader layer, int numClasses, ConfigReader root) {
    LossFunction loss = output.loss();
    Activation activation = output.activation();
    String lossName = loss.configName();
    String wrongActivation =
        switch (loss) {
          case MCXENT, SPARSE_MCXENT -> activation == Activation.SOFTMAX ? null : "softmax";
          case XENT -> activation == Activation.SIGMOID ? null : "sigmoid";
          case HINGE ->
              activation == Activation.IDENTITY || activation == Activation.TANH
                  ? null
                  : "identity or tanh";
          case MSE, MAE -> activation == Activation.SOFTMAX ? "identity, sigmoid or tanh" : null;
        };
    if (activation == Activation.SOFTMAX && output.units() == 1) {
      layer.problem(
          LAYER_ACTIVATION,
          "softmax over 1 unit always outputs 1; for a binary output use sigmoid with loss xent");
    } else if (wrongActivation != null) {
      layer.problem(
          LAYER_ACTIVATION,
          "expected "
              + wrongActivation
              + " for loss "
              + lossName
              + ", got "
              + activation.configName());
    }
    if (loss.isRegression()) {
      return;
    }
    if (numClasses < MIN_CLASSES) {
      root.problem(
          DATA_NUM_CLASSES,
          "expected >= "
              + MIN_CLASSES
              + " for classification loss "
              + lossName
              + ", got "
              + numClasses);
    }
    boolean oneHot = loss == LossFunction.MCXENT || loss == LossFunction.SPARSE_MCXENT;
    if (!oneHot
        && output.units() == 1
        && numClasses != 2
        && numClasses >= MIN_CLASSES
        && !root.isDefault(DATA_NUM_CLASSES)
        && numClasses != REFERENCE_NUM_CLASSES) {
      root.problem(
          DATA_NUM_CLASSES,
          "expected 2: "
              + layer.name(LAYER_UNITS)
              + " = 1 is a binary output (labels 0 and 1, loss "
              + lossName
              + "), got "
              + numClasses
              + "; for "
              + numClasses
              + " classes give the output layer "
              + numClasses
              + " units");
    } else if (output.units() != numClasses && (oneHot || output.units() != 1)) {
      layer.problem(
          LAYER_UNITS,
          "expected "
              + (oneHot ? "" : "1 (binary) or ")
              + "data.num-classes = "
              + numClasses
              + " units for loss "
              + lossName
              + ", got "
              + output.units());
    }
  }
}
