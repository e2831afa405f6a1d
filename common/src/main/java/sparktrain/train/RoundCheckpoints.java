package sparktrain.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointInfo;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.CheckpointStore;

/**
 * Checkpoints within an epoch ({@code checkpoint.every-n-rounds}): called by the {@link
 * TrainingEngine} on the driver after each averaging round, when the network holds the averaged
 * parameters and updater state; writes {@code epoch-NNNN-round-RRRR} after every N-th round except
 * the epoch's last (the epoch's own checkpoint follows it).
 */
final class RoundCheckpoints implements RoundListener {
  private static final Logger LOG = LoggerFactory.getLogger(RoundCheckpoints.class);

  /** Builds the metadata of a checkpoint within an epoch. */
  @FunctionalInterface
  interface Metadata {
    CheckpointMetadata of(int epochsDone, int round, long iterationAtEpochStart, String parent);
  }

  private final Map<String, byte[]> extraFiles;
  private final CheckpointStore store;
  private final int everyNRounds;
  private final Supplier<MultiLayerNetwork> network;
  private final Metadata metadata;
  private int epochsDone;
  private long iterationAtEpochStart;
  private String parent;

  RoundCheckpoints(
      CheckpointStore store,
      int everyNRounds,
      Supplier<MultiLayerNetwork> network,
      Metadata metadata,
      Map<String, byte[]> extraFiles) {
    this.extraFiles = extraFiles;
    this.store = store;
    this.everyNRounds = everyNRounds;
    this.network = network;
    this.metadata = metadata;
  }

  /**
   * Starts an epoch after {@code epochsDone} complete ones; {@code parent} is the last checkpoint.
   */
  void beginEpoch(int epochsDone, long iterationAtEpochStart, String parent) {
    this.epochsDone = epochsDone;
    this.iterationAtEpochStart = iterationAtEpochStart;
    this.parent = parent;
  }

  /** The newest checkpoint written, or the one given to {@link #beginEpoch}. */
  String parent() {
    return parent;
  }

  @Override
  public void afterRound(int round, int totalRounds) {
    if (everyNRounds <= 0 || round % everyNRounds != 0 || round >= totalRounds) {
      return;
    }
    try {
      CheckpointInfo info =
          store.writeWithinEpoch(
              network.get(),
              metadata.of(epochsDone, round, iterationAtEpochStart, parent),
              round,
              extraFiles);
      parent = info.name();
      LOG.info(
          "epoch {}: checkpoint {} after averaging round {}/{}",
          epochsDone + 1,
          info.name(),
          round,
          totalRounds);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the checkpoint after round " + round + " of epoch " + (epochsDone + 1), e);
    }
  }
}
