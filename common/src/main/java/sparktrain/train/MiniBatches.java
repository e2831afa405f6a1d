package sparktrain.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.eval.ForwardPass;

/**
 * Turns a distributed set of {@link Example}s into DL4J minibatches, partition by partition on the
 * executors: features normalized, labels encoded the way the loss function expects.
 */
public final class MiniBatches {
  private MiniBatches() {}

  /** How labels are laid out in a minibatch. */
  public enum LabelLayout {
    /** One column holding the class index or the regression target ({@code [batch, 1]}). */
    COLUMN,
    /** One-hot class indicators ({@code [batch, numClasses]}). */
    ONE_HOT,
    /**
     * Hinge-loss target of a one-unit output: +1 for class 1, -1 for class 0. The data's labels
     * stay class indexes (0/1) like every other classifier's.
     */
    SIGNED,
    /** Hinge-loss targets over one unit per class (one-vs-all): +1 for the class, -1 elsewhere. */
    SIGNED_ONE_HOT;

    /**
     * The layout an output layer's loss takes: one-hot for mcxent and for xent over one unit per
     * class; signed for hinge; a class-index (or target) column for sparse-mcxent, binary xent and
     * regression.
     */
    public static LabelLayout forOutput(sparktrain.config.LayerConfig output) {
      sparktrain.config.LossFunction loss = output.loss();
      if (loss == sparktrain.config.LossFunction.HINGE) {
        return output.units() == 1 ? SIGNED : SIGNED_ONE_HOT;
      }
      boolean oneHot =
          loss == sparktrain.config.LossFunction.MCXENT
              || (loss == sparktrain.config.LossFunction.XENT && output.units() > 1);
      return oneHot ? ONE_HOT : COLUMN;
    }

    /** Columns of a label row for {@code numClasses} classes. */
    public int width(int numClasses) {
      return switch (this) {
        case COLUMN, SIGNED -> 1;
        case ONE_HOT, SIGNED_ONE_HOT -> numClasses;
      };
    }
  }

  /**
   * Groups consecutive examples of each partition into minibatches of {@code batchSize} (the last
   * one of a partition may be smaller), features transformed by {@code normalizer} on the
   * executors. The order of examples is kept.
   */
  public static JavaRDD<DataSet> of(
      JavaRDD<Example> examples,
      int batchSize,
      LabelLayout layout,
      int numClasses,
      Normalizer normalizer) {
    return examples.mapPartitions(new Batcher(batchSize, layout, numClasses, normalizer));
  }

  /**
   * As {@link #of(JavaRDD, int, LabelLayout, int, Normalizer)} with every feature multiplied by
   * {@code featureScale} (e.g. 1/255 for pixels).
   */
  public static JavaRDD<DataSet> of(
      JavaRDD<Example> examples,
      int batchSize,
      LabelLayout layout,
      int numClasses,
      float featureScale) {
    return of(examples, batchSize, layout, numClasses, scaling(featureScale));
  }

  /** Builds one minibatch from a list of examples; exposed for single-process baselines. */
  public static DataSet toDataSet(
      List<Example> batch, LabelLayout layout, int numClasses, Normalizer normalizer) {
    int n = batch.size();
    int width = batch.get(0).features().length;
    normalizer.checkWidth(width);
    float[] features = new float[n * width];
    int labelWidth = layout.width(numClasses);
    float[] labels = new float[n * labelWidth];
    for (int i = 0; i < n; i++) {
      Example e = batch.get(i);
      float[] f = e.features();
      for (int j = 0; j < width; j++) {
        features[i * width + j] = normalizer.apply(j, f[j]);
      }
      setLabel(labels, i, e.label(), layout, numClasses);
    }
    return dataSet(features, labels, n, width, labelWidth);
  }

  /** Writes row {@code i}'s label into {@code labels}, laid out as {@code layout} says. */
  public static void setLabel(
      float[] labels, int i, double label, LabelLayout layout, int numClasses) {
    int labelWidth = layout.width(numClasses);
    if (layout == LabelLayout.ONE_HOT) {
      labels[i * labelWidth + (int) label] = 1f;
    } else if (layout == LabelLayout.SIGNED) {
      labels[i] = label > 0 ? 1f : -1f;
    } else if (layout == LabelLayout.SIGNED_ONE_HOT) {
      java.util.Arrays.fill(labels, i * labelWidth, (i + 1) * labelWidth, -1f);
      labels[i * labelWidth + (int) label] = 1f;
    } else {
      labels[i] = (float) label;
    }
  }

  /**
   * A minibatch of {@code n} rows from row-major feature and label arrays, copied off-heap in one
   * bulk copy each ({@code Nd4j.create(float[], ...)} copies element by element: about a tenth of a
   * millisecond per MNIST minibatch of 32).
   */
  public static DataSet dataSet(
      float[] features, float[] labels, int n, int width, int labelWidth) {
    INDArray x = ForwardPass.matrix(features, n, width);
    INDArray y = ForwardPass.matrix(labels, n, labelWidth);
    return new DataSet(x, y);
  }

  /** As {@link #toDataSet(List, LabelLayout, int, Normalizer)} with a fixed feature scale. */
  public static DataSet toDataSet(
      List<Example> batch, LabelLayout layout, int numClasses, float featureScale) {
    return toDataSet(batch, layout, numClasses, scaling(featureScale));
  }

  private static Normalizer scaling(float featureScale) {
    if (featureScale == 1f) {
      return Normalizer.none();
    }
    if (featureScale == 1f / 255f) {
      return Normalizer.imageScale();
    }
    throw new IllegalArgumentException(
        "feature scale " + featureScale + ": only 1 and 1/255 are supported; use a Normalizer");
  }

  private static final class Batcher implements FlatMapFunction<Iterator<Example>, DataSet> {
    private static final long serialVersionUID = 1L;
    private final int batchSize;
    private final LabelLayout layout;
    private final int numClasses;
    private final Normalizer normalizer;

    Batcher(int batchSize, LabelLayout layout, int numClasses, Normalizer normalizer) {
      this.batchSize = batchSize;
      this.layout = layout;
      this.numClasses = numClasses;
      this.normalizer = normalizer;
    }

    @Override
    public Iterator<DataSet> call(Iterator<Example> it) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public DataSet next() {
          List<Example> batch = new ArrayList<>(batchSize);
          while (it.hasNext() && batch.size() < batchSize) {
            batch.add(it.next());
          }
          return toDataSet(batch, layout, numClasses, normalizer);
        }
      };
    }
  }
}
