package sparktrain.eval;

import java.io.Serializable;
import java.util.Arrays;
import sparktrain.config.LayerConfig;
import sparktrain.config.LossFunction;
import sparktrain.config.ModelConfig;

/**
 * How to read a network's outputs and labels into metrics: which kind of {@link EvaluationResult},
 * how many classes or output columns, and how a label row names its class.
 *
 * <p>Chosen from the output layer by {@link #of(ModelConfig, int)}:
 *
 * <ul>
 *   <li>mse, mae: {@link Kind#REGRESSION} over the output layer's units;
 *   <li>xent with 1 unit: {@link Kind#BINARY}, the unit is P(class 1), labels 0/1;
 *   <li>mcxent / sparse-mcxent with 2 units: {@link Kind#BINARY}, unit 1 is P(class 1);
 *   <li>mcxent / sparse-mcxent with more units: {@link Kind#MULTICLASS} with log-loss and top-5;
 *   <li>hinge: {@link Kind#MULTICLASS} without probabilities; with 1 unit, positive when the output
 *       is >= 0 and labels > 0 are class 1;
 *   <li>xent with several units (multi-label) is not supported.
 * </ul>
 *
 * Labels are a class-index column or one-hot rows (argmax); a label that is not a class index in
 * [0, numClasses) is an error naming it.
 *
 * @param kind the kind of metrics
 * @param classes number of classes (classification) or output columns (regression)
 * @param outputs units of the output layer
 * @param probabilistic whether the outputs are probabilities (softmax / sigmoid)
 * @param topK the k of the multiclass top-k accuracy
 * @param exactAucLimit see {@link BinaryClassificationMetrics#BinaryClassificationMetrics(int)}
 */
public record EvaluationPlan(
    Kind kind, int classes, int outputs, boolean probabilistic, int topK, int exactAucLimit)
    implements Serializable {

  /** Default k of the top-k accuracy. */
  public static final int DEFAULT_TOP_K = 5;

  /** The kind of metrics. */
  public enum Kind {
    /** {@link ClassificationMetrics}. */
    MULTICLASS,
    /** {@link BinaryClassificationMetrics}. */
    BINARY,
    /** {@link RegressionMetrics}. */
    REGRESSION
  }

  /** Checks the combination. */
  public EvaluationPlan {
    if (classes < 1 || outputs < 1) {
      throw new IllegalArgumentException(
          "classes and outputs must be >= 1, got " + classes + " and " + outputs);
    }
    if (kind == Kind.MULTICLASS && outputs != 1 && outputs != classes) {
      throw new IllegalArgumentException(
          "multiclass evaluation of "
              + classes
              + " classes needs 1 or "
              + classes
              + " outputs, got "
              + outputs);
    }
  }

  /** The plan for a model's output layer; {@code numClasses} is {@code data.num-classes}. */
  public static EvaluationPlan of(ModelConfig model, int numClasses) {
    LayerConfig out = model.outputLayer();
    LossFunction loss = out.loss();
    int units = out.units();
    if (loss.isRegression()) {
      return regression(units);
    }
    return switch (loss) {
      case XENT -> {
        if (units != 1) {
          throw new IllegalArgumentException(
              "multi-label evaluation (loss xent with "
                  + units
                  + " output units) is not supported; use 1 unit for binary classification");
        }
        yield binary(1);
      }
      case MCXENT, SPARSE_MCXENT -> units == 2 ? binary(2) : multiclass(units);
      case HINGE ->
          new EvaluationPlan(Kind.MULTICLASS, Math.max(2, units), units, false, DEFAULT_TOP_K, 0);
      case MSE, MAE -> throw new AssertionError(loss);
    };
  }

  /** Softmax over {@code numClasses} units, top-5. */
  public static EvaluationPlan multiclass(int numClasses) {
    return new EvaluationPlan(Kind.MULTICLASS, numClasses, numClasses, true, DEFAULT_TOP_K, 0);
  }

  /**
   * Binary classification of probabilities: 1 sigmoid unit, or 2 softmax units (unit 1 is the
   * positive class); exact AUC up to {@value BinaryClassificationMetrics#DEFAULT_EXACT_LIMIT}.
   */
  public static EvaluationPlan binary(int outputs) {
    if (outputs != 1 && outputs != 2) {
      throw new IllegalArgumentException("binary evaluation needs 1 or 2 outputs, got " + outputs);
    }
    return new EvaluationPlan(
        Kind.BINARY,
        2,
        outputs,
        true,
        DEFAULT_TOP_K,
        BinaryClassificationMetrics.DEFAULT_EXACT_LIMIT);
  }

  /** Regression over {@code columns} output columns. */
  public static EvaluationPlan regression(int columns) {
    return new EvaluationPlan(Kind.REGRESSION, columns, columns, false, DEFAULT_TOP_K, 0);
  }

  /** This plan with another exact-AUC limit (0: always the histogram). */
  public EvaluationPlan withExactAucLimit(int limit) {
    return new EvaluationPlan(kind, classes, outputs, probabilistic, topK, limit);
  }

  /** Empty metrics of this plan's kind. */
  public EvaluationResult empty() {
    return switch (kind) {
      case MULTICLASS -> new ClassificationMetrics(classes, topK, probabilistic);
      case BINARY -> new BinaryClassificationMetrics(exactAucLimit);
      case REGRESSION -> new RegressionMetrics(classes);
    };
  }

  /**
   * Adds one example with a finite output row to {@code metrics} (of this plan's kind).
   *
   * @throws IllegalArgumentException if the label is not a valid class or target
   */
  void addRow(EvaluationResult metrics, double[] output, double[] label) {
    addRow(metrics, output, 0, label, 0, label.length);
  }

  /**
   * Adds a scored minibatch to {@code metrics} (of this plan's kind), from flat row-major arrays:
   * rows whose output holds NaN or Inf are counted as non-finite and skipped; the loss is summed
   * over the other rows and added once.
   *
   * @param outputs {@code rows * outputs()} network outputs
   * @param labels {@code rows * labelWidth} labels as the loss takes them
   * @param loss each row's loss
   * @throws IllegalArgumentException if a label is not a valid class or target
   */
  void addBatch(
      EvaluationResult metrics, double[] outputs, double[] labels, int labelWidth, double[] loss) {
    int width = outputs();
    int rows = outputs.length / width;
    double lossSum = 0;
    long finite = 0;
    for (int i = 0; i < rows; i++) {
      int o = i * width;
      if (!isFinite(outputs, o, width)) {
        metrics.addNonFinite();
        continue;
      }
      addRow(metrics, outputs, o, labels, i * labelWidth, labelWidth);
      lossSum += loss[i];
      finite++;
    }
    if (finite > 0) {
      metrics.addLoss(lossSum, finite);
    }
  }

  private static boolean isFinite(double[] a, int from, int width) {
    for (int i = from; i < from + width; i++) {
      if (!Double.isFinite(a[i])) {
        return false;
      }
    }
    return true;
  }

  /** {@link #addRow(EvaluationResult, double[], double[])} of rows inside larger arrays. */
  private void addRow(
      EvaluationResult metrics, double[] output, int o, double[] label, int l, int labelWidth) {
    switch (kind) {
      case REGRESSION ->
          ((RegressionMetrics) metrics).add(label, l, labelWidth, output, o, outputs);
      case BINARY -> {
        boolean positive =
            outputs == 1 ? binaryLabel(label, l, labelWidth) : classOf(label, l, labelWidth) == 1;
        double p = outputs == 1 ? output[o] : output[o + 1];
        ((BinaryClassificationMetrics) metrics).add(positive, p);
      }
      case MULTICLASS -> {
        ClassificationMetrics m = (ClassificationMetrics) metrics;
        if (outputs == 1) {
          // hinge with one unit: the sign decides
          m.add(label[l] > 0 ? 1 : 0, output[o] >= 0 ? 1 : 0);
        } else if (probabilistic) {
          m.addProbabilities(classOf(label, l, labelWidth), output, o, outputs);
        } else {
          m.add(classOf(label, l, labelWidth), argMax(output, o, outputs));
        }
      }
    }
  }

  private static boolean binaryLabel(double[] label, int l, int width) {
    double v = label[l];
    if (width != 1 || !(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(
          "label "
              + Arrays.toString(Arrays.copyOfRange(label, l, l + width))
              + " is not a binary label in [0, 1]");
    }
    return v >= 0.5;
  }

  private int classOf(double[] label, int l, int width) {
    if (width > 1) {
      if (width != classes) {
        throw new IllegalArgumentException(
            "one-hot label of " + width + " columns for " + classes + " classes");
      }
      return argMax(label, l, width);
    }
    double v = label[l];
    if (v != Math.rint(v) || v < 0 || v >= classes) {
      throw new IllegalArgumentException(
          "label " + v + " is not a class index in [0, " + classes + ")");
    }
    return (int) v;
  }

  private static int argMax(double[] row, int from, int width) {
    int best = 0;
    for (int i = 1; i < width; i++) {
      if (row[from + i] > row[from + best]) {
        best = i;
      }
    }
    return best;
  }
}
