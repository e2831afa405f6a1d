package sparktrain.train.barrier;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies a network's parameters and updater state into one float array and back, without
 * allocating: bulk copies through the views' off-heap buffers. Layout: parameters, then updater
 * state, then {@code extra} trailing slots the caller uses (e.g. a weight).
 */
final class FlatState {
  private final INDArray params;
  private final INDArray updater;
  private final int paramCount;
  private final int updaterCount;

  FlatState(MultiLayerNetwork net) {
    this.params = net.params();
    this.updater = NetworkState.updaterView(net);
    this.paramCount = (int) params.length();
    this.updaterCount = updater == null ? 0 : (int) updater.length();
    requireFloatVector(params, "parameters");
    if (updater != null) {
      requireFloatVector(updater, "updater state");
    }
  }

  /** Parameters plus updater state. */
  int length() {
    return paramCount + updaterCount;
  }

  int paramCount() {
    return paramCount;
  }

  /** Copies the state into {@code out[0, length())}. */
  void read(float[] out) {
    toHost(params);
    buffer(params).get(out, 0, paramCount);
    if (updater != null) {
      toHost(updater);
      buffer(updater).get(out, paramCount, updaterCount);
    }
  }

  /** Sets the state from {@code in[0, length())}. */
  void write(float[] in) {
    buffer(params).put(in, 0, paramCount);
    written(params);
    if (updater != null) {
      buffer(updater).put(in, paramCount, updaterCount);
      written(updater);
    }
  }

  /** On a GPU backend: brings the device's newest values to the host copy (no-op on CPU). */
  private static void toHost(INDArray a) {
    Nd4j.getExecutioner().commit();
    Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
  }

  /** On a GPU backend: marks the host copy as the newest, to be uploaded before use. */
  private static void written(INDArray a) {
    Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
  }

  private static FloatBuffer buffer(INDArray view) {
    FloatBuffer b = view.data().asNioFloat();
    b.position((int) view.offset());
    return b;
  }

  private static void requireFloatVector(INDArray a, String what) {
    if (a.dataType() != DataType.FLOAT || !a.isVector() || a.elementWiseStride() != 1) {
      throw new IllegalStateException(
          "the network's "
              + what
              + " are not a contiguous float vector ("
              + a.dataType()
              + ", shape "
              + java.util.Arrays.toString(a.shape())
              + "): the barrier engine needs float32 networks");
    }
  }
}
