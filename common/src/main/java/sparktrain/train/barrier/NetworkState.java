package sparktrain.train.barrier;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's full training state as plain Java values, for one broadcast to the tasks and one
 * result back: configuration JSON (which carries the iteration and epoch counters that
 * learning-rate schedules and Adam's bias correction read), flattened parameters and flattened
 * updater state.
 */
final class NetworkState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String configJson;
  private final float[] params;
  private final float[] updater;

  private NetworkState(String configJson, float[] params, float[] updater) {
    this.configJson = configJson;
    this.params = params;
    this.updater = updater;
  }

  /** A copy of {@code net}'s state. */
  static NetworkState of(MultiLayerNetwork net) {
    INDArray u = updaterView(net);
    return new NetworkState(
        net.getLayerWiseConfigurations().toJson(),
        net.params().toFloatVector(),
        u == null ? new float[0] : u.toFloatVector());
  }

  /** The state as a new network (on a task): its own configuration, parameters and updater. */
  MultiLayerNetwork build() {
    MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
    net.init(Nd4j.create(params, new long[] {1, params.length}, 'c'), false);
    if (updater.length > 0) {
      // 'f' like DL4J's gradient view: updater ops (Adam's) take their fast loop only when the
      // gradient and the state have the same order (with ND4J's AVX2 binary: 265-400 against 730
      // us per Adam step of the MNIST MLP); the values are the same either way
      net.setUpdater(
          new MultiLayerUpdater(net, Nd4j.create(updater, new long[] {1, updater.length}, 'f')));
    }
    return net;
  }

  /** A state with the same configuration and new flat values (e.g. the averaged ones). */
  NetworkState withValues(float[] newParams, float[] newUpdater, int iterationCount) {
    MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configJson);
    conf.setIterationCount(iterationCount);
    return new NetworkState(conf.toJson(), newParams, newUpdater);
  }

  /**
   * Sets {@code net}'s parameters, updater state and iteration counter to this state's (on the
   * driver, after a stage). The network must have the same architecture.
   */
  void applyTo(MultiLayerNetwork net) {
    if (net.numParams() != params.length) {
      throw new IllegalStateException(
          "state has " + params.length + " parameters, the network " + net.numParams());
    }
    net.setParameters(Nd4j.create(params, new long[] {1, params.length}, 'c'));
    if (updater.length > 0) {
      net.getUpdater()
          .setStateViewArray(net, Nd4j.create(updater, new long[] {1, updater.length}, 'c'), false);
    }
    MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configJson);
    net.getLayerWiseConfigurations().setIterationCount(conf.getIterationCount());
  }

  int iterationCount() {
    return MultiLayerConfiguration.fromJson(configJson).getIterationCount();
  }

  int paramCount() {
    return params.length;
  }

  int updaterCount() {
    return updater.length;
  }

  /** The updater's flattened state view, or null when the updater keeps no state (plain SGD). */
  static INDArray updaterView(MultiLayerNetwork net) {
    INDArray view = net.getUpdater().getStateViewArray();
    return view == null || view.length() == 0 ? null : view;
  }
}
