package sparktrain.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Runs synchronous parameter averaging for one epoch at a time: every worker fits {@code
 * training.averaging-frequency} minibatches, then parameters and updater state are averaged over
 * the workers, until the epoch's data is used up.
 *
 * <p>The epoch's start state is the state of {@link #network()} when {@link #fitEpoch} is called;
 * on return it holds the averaged state at the epoch's end. Two implementations: the dl4j engine
 * (DL4J's {@code ParameterAveragingTrainingMaster}: one Spark job per round; Spark 3.5 build only,
 * see {@link Dl4jEngines}) and {@link sparktrain.train.barrier.BarrierEngine} (one barrier stage
 * per epoch, averaging inside the tasks).
 */
public interface TrainingEngine extends AutoCloseable {

  /** The driver's network: the global model, updated in place by {@link #fitEpoch}. */
  MultiLayerNetwork network();

  /**
   * Trains one epoch.
   *
   * @param epoch 1-based epoch number (seeds the epoch's shuffling)
   * @param skipRounds leading rounds the network's state already contains (a resumed in-epoch
   *     checkpoint); 0 normally
   * @param jobGroup the Spark job group of the epoch's fit phase (for progress reporting)
   * @param label the epoch's label for progress lines, e.g. "epoch 2/5"
   */
  EpochFit fitEpoch(int epoch, int skipRounds, String jobGroup, String label);

  /**
   * Warms up the JVMs that will train ({@code training.warm-up = auto}) by fitting a throwaway copy
   * of {@link #network()} on synthetic minibatches of {@code featureWidth} features; the network
   * itself is left as it is. The default does nothing (the dl4j engine).
   *
   * @return the wall seconds it took
   */
  default double warmUp(int featureWidth) {
    return 0;
  }

  /** Releases cached data and listeners. */
  @Override
  void close();
}
