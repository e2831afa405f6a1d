package sparktrain.train.barrier;

import java.io.Serializable;

/**
 * What one task of a barrier stage returns: its loss sum and timings, and, from task 0 only, the
 * averaged state (identical on every task). A plain class, not a record: Spark serializes task
 * results with Kryo, which cannot build records.
 */
final class TaskResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rank;
  private final NetworkState state;
  private final double lossSum;
  private final long batches;
  private final double[] fitMillis;
  private final double[] averageMillis;
  private final double setupMillis;

  /**
   * @param state the averaged network state after the stage's last round (task 0), else null
   * @param lossSum sum of the scores of the minibatches this task fitted
   * @param batches minibatches this task fitted
   * @param fitMillis per round, the time this task spent fitting
   * @param averageMillis per round, the time this task spent in the allreduce (including the wait
   *     for slower peers)
   * @param setupMillis rendezvous, network build and minibatch preparation before the first round
   */
  TaskResult(
      int rank,
      NetworkState state,
      double lossSum,
      long batches,
      double[] fitMillis,
      double[] averageMillis,
      double setupMillis) {
    this.rank = rank;
    this.state = state;
    this.lossSum = lossSum;
    this.batches = batches;
    this.fitMillis = fitMillis;
    this.averageMillis = averageMillis;
    this.setupMillis = setupMillis;
  }

  int rank() {
    return rank;
  }

  NetworkState state() {
    return state;
  }

  double lossSum() {
    return lossSum;
  }

  long batches() {
    return batches;
  }

  double[] fitMillis() {
    return fitMillis;
  }

  double[] averageMillis() {
    return averageMillis;
  }

  double setupMillis() {
    return setupMillis;
  }
}
