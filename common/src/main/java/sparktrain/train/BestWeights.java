package sparktrain.train;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointStore;

/**
 * {@code restore-best} of early stopping: a copy of the parameters of the best epoch so far, kept
 * on the driver, put back into the network after the last epoch. On resume the copy is taken from
 * that epoch's checkpoint ({@code checkpoint.keep-best} keeps it, ranked by the early-stopping
 * metric).
 */
final class BestWeights {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  private final EarlyStopping stopping;
  private INDArray params;
  private Map<String, Double> validation;
  private int epoch;
  private boolean restored;

  /**
   * @param stopping the early-stopping state, or null when restore-best is off
   */
  BestWeights(EarlyStopping stopping) {
    this.stopping = stopping;
  }

  /** On resume after {@code startEpoch}: the best epoch's parameters, from its checkpoint. */
  void resume(int startEpoch, MultiLayerNetwork net, CheckpointStore store) {
    if (stopping == null || stopping.bestEpoch() == 0) {
      return;
    }
    int bestEpoch = stopping.bestEpoch();
    if (bestEpoch == startEpoch) {
      params = net.params().dup();
      epoch = bestEpoch;
      return;
    }
    String name = CheckpointStore.checkpointName(bestEpoch);
    try {
      params = store.load(name).network().params().dup();
      epoch = bestEpoch;
    } catch (Exception e) {
      LOG.warn(
          "early stopping: the best epoch's checkpoint {} cannot be loaded ({}); restore-best"
              + " restores the best epoch since this resume instead",
          name,
          e.getMessage());
    }
  }

  /** After an epoch's early-stopping update: keeps the parameters when it is the best. */
  void afterEpoch(int thisEpoch, MultiLayerNetwork net, Map<String, Double> metrics) {
    if (stopping != null && stopping.bestIs(thisEpoch)) {
      params = net.params().dup();
      validation = metrics;
      epoch = thisEpoch;
    }
  }

  /**
   * After the last epoch: puts the best parameters back when they are not the current ones.
   *
   * @return the best epoch's validation metrics when it restored them (known unless it resumed)
   */
  Optional<Map<String, Double>> restoreInto(MultiLayerNetwork net, int lastEpoch, String label) {
    if (stopping == null || params == null || epoch == lastEpoch) {
      return Optional.empty();
    }
    net.setParams(params);
    restored = true;
    LOG.info("{}: early stopping: restored the parameters of the best epoch, {}", label, epoch);
    return Optional.ofNullable(validation);
  }

  boolean restored() {
    return restored;
  }
}
