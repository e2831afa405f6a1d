package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;
import sparktrain.data.DataException;
import sparktrain.data.Example;
import sparktrain.data.ExampleBatcher;
import sparktrain.data.FeatureBatch;
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
   * One minibatch of {@code examples} (at least one), in order: the same values as {@link
   * MiniBatches#toDataSet(List, MiniBatches.LabelLayout, int, Normalizer)}, copied off-heap in
   * bulk.
   *
   * @throws DataException if an example does not have {@link #inputSize()} features
   */
  public DataSet encode(List<Example> examples) {
    for (Example e : examples) {
      FeatureBatch.checkWidth(e.numFeatures(), inputSize);
    }
    FeatureBatch batch =
        new ExampleBatcher<Example>(
                examples.iterator(), e -> e, null, examples.size(), inputSize, normalizer)
            .next();
    return toDataSet(batch);
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

  /**
   * The {@link FeatureBatch}es of each partition, streamed; a batch's {@link FeatureBatch#first()}
   * is its first example's position in the partition.
   */
  public JavaRDD<FeatureBatch> featureBatches(JavaRDD<Example> examples) {
    BatchEncoder encoder = this;
    return examples.mapPartitions(
        (Iterator<Example> it) ->
            new ExampleBatcher<Example>(
                it, e -> e, null, encoder.batchSize(), encoder.inputSize(), encoder.normalizer()));
  }

  /**
   * The {@link FeatureBatch}es of each partition of (example, record index) pairs, streamed; a
   * batch's {@link FeatureBatch#first()} is its first example's record index.
   */
  public JavaRDD<FeatureBatch> indexedFeatureBatches(JavaRDD<Tuple2<Example, Long>> examples) {
    BatchEncoder encoder = this;
    return examples.mapPartitions(
        (Iterator<Tuple2<Example, Long>> it) ->
            new ExampleBatcher<Tuple2<Example, Long>>(
                it,
                Tuple2::_1,
                Tuple2::_2,
                encoder.batchSize(),
                encoder.inputSize(),
                encoder.normalizer()));
  }

  /** The network input of a batch ({@code [rows, width]}, its array not copied). */
  public INDArray features(FeatureBatch batch) {
    FeatureBatch.checkWidth(batch.width(), inputSize);
    return batch.features();
  }

  /** The labels of a batch laid out for the model's loss ({@code [rows, layout width]}). */
  public INDArray labels(FeatureBatch batch) {
    int n = batch.rows();
    int width = layout.width(numClasses);
    float[] y = new float[n * width];
    double[] raw = batch.labels();
    for (int i = 0; i < n; i++) {
      MiniBatches.setLabel(y, i, raw[i], layout, numClasses);
    }
    return ForwardPass.matrix(y, n, width);
  }

  /** A batch as the minibatch the model takes (the same as {@link #encode} of its examples). */
  public DataSet toDataSet(FeatureBatch batch) {
    return new DataSet(features(batch), labels(batch));
  }
}
