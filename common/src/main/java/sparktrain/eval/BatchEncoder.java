package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.data.DataException;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.train.MiniBatches;

/**
 * Turns examples into the minibatches a saved model takes, exactly as its training run did:
 * features normalized the model's way, labels laid out for its loss. The one place where scoring
 * jobs normalize data; it runs on the executors.
 *
 * @param batchSize examples per minibatch (the last one of a partition may be smaller)
 * @param layout label layout of the model's loss
 * @param numClasses classes of the model's labels
 * @param normalizer the model's fitted normalizer (saved with it), applied to every feature
 * @param inputSize features the model's first layer takes
 */
public record BatchEncoder(
    int batchSize,
    MiniBatches.LabelLayout layout,
    int numClasses,
    Normalizer normalizer,
    int inputSize)
    implements Serializable {

  /** Checks the sizes. */
  public BatchEncoder {
    if (batchSize < 1 || inputSize < 1) {
      throw new IllegalArgumentException(
          "batchSize and inputSize must be >= 1, got " + batchSize + " and " + inputSize);
    }
    java.util.Objects.requireNonNull(normalizer, "normalizer");
  }

  /**
   * One minibatch of {@code examples} (at least one), in order.
   *
   * @throws DataException if an example does not have {@link #inputSize()} features
   */
  public DataSet encode(List<Example> examples) {
    for (Example e : examples) {
      if (e.numFeatures() != inputSize) {
        throw new DataException(
            "a record has "
                + e.numFeatures()
                + " features but the model takes "
                + inputSize
                + " (model.input.size): is this the data the model was trained on?");
      }
    }
    return MiniBatches.toDataSet(examples, layout, numClasses, normalizer);
  }

  /** The minibatches of each partition, streamed: a partition is never held in memory whole. */
  public JavaRDD<DataSet> batches(JavaRDD<Example> examples) {
    BatchEncoder encoder = this;
    return examples.mapPartitions(
        (Iterator<Example> it) ->
            new Iterator<DataSet>() {
              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public DataSet next() {
                List<Example> batch = new ArrayList<>(encoder.batchSize());
                while (it.hasNext() && batch.size() < encoder.batchSize()) {
                  batch.add(it.next());
                }
                return encoder.encode(batch);
              }
            });
  }
}
