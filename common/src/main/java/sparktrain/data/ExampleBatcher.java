package sparktrain.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.ToLongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Groups a partition's records into {@link FeatureBatch}es of at most {@code batchSize}, in order,
 * features normalized straight into the batch's array (one copy per value, no per-record arrays).
 *
 * @param <T> the records: {@link Example}s, or (example, record index) pairs
 */
public final class ExampleBatcher<T> implements Iterator<FeatureBatch> {
  private final Iterator<T> records;
  private final java.util.function.Function<T, Example> example;
  private final ToLongFunction<T> index;
  private final int batchSize;
  private final int inputSize;
  private final Normalizer normalizer;
  private long position;
  private float[] features; // reused: each batch is copied off-heap

  /**
   * @param example the example of a record
   * @param index the index of a record (null: its position in the partition)
   * @param inputSize features the model takes (a record of another width is a {@link
   *     DataException})
   */
  public ExampleBatcher(
      Iterator<T> records,
      java.util.function.Function<T, Example> example,
      ToLongFunction<T> index,
      int batchSize,
      int inputSize,
      Normalizer normalizer) {
    this.records = records;
    this.example = example;
    this.index = index;
    this.batchSize = batchSize;
    this.inputSize = inputSize;
    this.normalizer = normalizer;
  }

  @Override
  public boolean hasNext() {
    return records.hasNext();
  }

  @Override
  public FeatureBatch next() {
    if (!records.hasNext()) {
      throw new NoSuchElementException();
    }
    if (features == null) {
      features = new float[batchSize * inputSize];
    }
    double[] labels = new double[batchSize];
    String[][] kept = null;
    long first = -1;
    int n = 0;
    while (n < batchSize && records.hasNext()) {
      T record = records.next();
      Example e = example.apply(record);
      FeatureBatch.checkWidth(e.numFeatures(), inputSize);
      if (n == 0) {
        normalizer.checkWidth(inputSize);
        first = index == null ? position : index.applyAsLong(record);
      }
      float[] f = e.features();
      int base = n * inputSize;
      for (int j = 0; j < inputSize; j++) {
        features[base + j] = normalizer.apply(j, f[j]);
      }
      labels[n] = e.label();
      if (e.kept() != null) {
        if (kept == null) {
          kept = new String[batchSize][];
        }
        kept[n] = e.kept();
      }
      n++;
    }
    position += n;
    if (n < batchSize) {
      labels = java.util.Arrays.copyOf(labels, n);
      kept = kept == null ? null : java.util.Arrays.copyOf(kept, n);
    }
    INDArray matrix = FeatureBatch.allocate(n, inputSize);
    FeatureBatch.buffer(matrix).put(features, 0, n * inputSize);
    return new FeatureBatch(first, n, inputSize, matrix, labels, kept);
  }
}
