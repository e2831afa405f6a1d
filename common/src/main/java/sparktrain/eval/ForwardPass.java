package sparktrain.eval;

import java.nio.ByteOrder;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One inference forward pass of a minibatch that gives both the network's outputs and each
 * example's loss, read back with one bulk copy each.
 *
 * <p>The layers below the output layer run once; the output layer then computes the per-example
 * loss of its own loss function ({@code ILossFunction.computeScoreArray} on its pre-activation,
 * regularization excluded) and its activations from that same input. The numbers are exactly those
 * of {@code MultiLayerNetwork.output(features, false)} and {@code scoreExamples(data, false)} on
 * the same minibatch, which run the whole network once each.
 */
public final class ForwardPass {
  private ForwardPass() {}

  /**
   * The outputs and losses of one minibatch.
   *
   * @param outputs the output rows, row-major ({@code rows * width})
   * @param width values per output row
   * @param loss each example's loss (null when there were no labels)
   */
  public record Result(double[] outputs, int width, double[] loss) {
    /** Rows in the minibatch. */
    public int rows() {
      return outputs.length / width;
    }
  }

  /**
   * Outputs and per-example losses of {@code features} with {@code labels} (laid out for the loss).
   */
  public static Result run(MultiLayerNetwork net, INDArray features, INDArray labels) {
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    int last = net.getnLayers() - 1;
    long rows = features.size(0);
    INDArray x = features;
    for (int i = 0; i < last; i++) {
      x = preProcess(conf, i, x, rows, mgr);
      x = net.getLayer(i).activate(x, false, mgr);
    }
    x = preProcess(conf, last, x, rows, mgr);
    Layer layer = net.getLayer(last);
    if (!(layer instanceof IOutputLayer out)) {
      throw new IllegalArgumentException(
          "the last layer is a " + layer.getClass().getSimpleName() + ", not an output layer");
    }
    out.setInput(x, mgr);
    double[] loss = null;
    if (labels != null) {
      out.setLabels(labels);
      loss = doubles(out.computeScoreForExamples(0.0, mgr));
    }
    INDArray y = out.activate(false, mgr);
    out.clear();
    long width = y.length() / Math.max(1, rows);
    return new Result(doubles(y), (int) width, loss);
  }

  /**
   * The network's outputs ({@code output(features, false)}) as one row-major float array.
   *
   * @param net the network
   */
  public static float[] outputs(MultiLayerNetwork net, INDArray features) {
    return floats(net.output(features, false));
  }

  /**
   * A {@code [rows, width]} float matrix holding {@code values} (row-major), copied off-heap in one
   * bulk copy ({@code Nd4j.create(float[], ...)} copies element by element).
   */
  public static INDArray matrix(float[] values, int rows, int width) {
    int n = rows * width;
    if (values.length < n) {
      throw new IllegalArgumentException(
          rows + " rows of " + width + " need " + n + " values, got " + values.length);
    }
    INDArray a = Nd4j.createUninitializedDetached(DataType.FLOAT, rows, width);
    a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values, 0, n);
    return a;
  }

  /** Frees an array's off-heap memory now when it owns it (not a view, not in a workspace). */
  public static void release(INDArray a) {
    if (a != null && a.closeable()) {
      a.close();
    }
  }

  private static INDArray preProcess(
      MultiLayerConfiguration conf, int layer, INDArray x, long rows, LayerWorkspaceMgr mgr) {
    InputPreProcessor p = conf.getInputPreProcess(layer);
    return p == null ? x : p.preProcess(x, (int) rows, mgr);
  }

  /** The values of {@code a}, row-major, in one bulk copy. */
  static double[] doubles(INDArray a) {
    return contiguous(a).data().asDouble();
  }

  /** The values of {@code a}, row-major, in one bulk copy. */
  static float[] floats(INDArray a) {
    return contiguous(a).data().asFloat();
  }

  private static INDArray contiguous(INDArray a) {
    boolean whole =
        a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
    return whole ? a : a.dup('c');
  }
}
