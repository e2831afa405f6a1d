package sparktrain.data;

import java.io.Serializable;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A scoring minibatch: the features of {@link #rows()} records, already normalized, as the
 * network's {@code [rows, width]} float input (off-heap), with each record's raw label (class index
 * or target) and, for {@code predict --keep-columns}, its kept input cells. Built on the executors
 * straight from the source (IDX bytes decode into the input's memory without a Java object per
 * record) or from a partition's {@link Example}s.
 */
public final class FeatureBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long first;
  private final int rows;
  private final int width;
  private final INDArray features;
  private final double[] labels;
  private final String[][] kept;

  /**
   * A batch; the arrays are kept, not copied.
   *
   * @param first index of the first record in its split (IDX, and tabular with record indexes) or
   *     in its partition
   * @param width features per record
   * @param features the {@code [rows, width]} normalized values (see {@link #allocate})
   * @param labels one label per record
   * @param kept each record's kept input cells, or null when none were asked for
   */
  public FeatureBatch(
      long first, int rows, int width, INDArray features, double[] labels, String[][] kept) {
    if (features.length() != (long) rows * width || labels.length != rows) {
      throw new IllegalArgumentException(
          rows
              + " rows of "
              + width
              + " features need "
              + (long) rows * width
              + " values and "
              + rows
              + " labels, got "
              + features.length()
              + " and "
              + labels.length);
    }
    this.first = first;
    this.rows = rows;
    this.width = width;
    this.features = features;
    this.labels = labels;
    this.kept = kept;
  }

  /** Index of the first record (see the constructor). */
  public long first() {
    return first;
  }

  /** Records in the batch. */
  public int rows() {
    return rows;
  }

  /** Features per record. */
  public int width() {
    return width;
  }

  /** The normalized features, {@code [rows, width]} (the array itself). */
  public INDArray features() {
    return features;
  }

  /** An uninitialized {@code [rows, width]} float matrix, outside any workspace. */
  public static INDArray allocate(int rows, int width) {
    return Nd4j.createUninitializedDetached(DataType.FLOAT, rows, width);
  }

  /**
   * The memory of a matrix from {@link #allocate}, row-major, to fill with bulk or indexed puts.
   */
  public static FloatBuffer buffer(INDArray matrix) {
    return matrix.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** The records' labels (the array itself). */
  public double[] labels() {
    return labels;
  }

  /** Record {@code i}'s kept input cells, or null. */
  public String[] kept(int i) {
    return kept == null ? null : kept[i];
  }

  /**
   * Checks that records of {@code width} features fit a network taking {@code inputSize}.
   *
   * @throws DataException naming both sizes
   */
  public static void checkWidth(int width, int inputSize) {
    if (width != inputSize) {
      throw new DataException(
          "a record has "
              + width
              + " features but the model takes "
              + inputSize
              + " (model.input.size): is this the data the model was trained on?");
    }
  }
}
