package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A uniform random sample of at most {@code capacity} (target, prediction) rows of a regression
 * model, for the residual plot: bottom-k sampling, i.e. each row gets a pseudo-random key from its
 * position (partition, index in partition) and the rows with the {@code capacity} smallest keys are
 * kept. Mergeable (keep the smallest keys of both) and deterministic for the same partitioning,
 * whatever the merge order.
 */
public final class ResidualSample implements Serializable {
  private static final long serialVersionUID = 1L;

  // Plain arrays (no records, no comparators): task results travel with Kryo.
  private final int capacity;
  private final long[] keys;
  private final double[][] targets;
  private final double[][] predictions;
  private int size;
  private int largest; // index of the largest key while full

  /** One sampled row. */
  record Row(long key, double[] target, double[] prediction) {}

  /** An empty sample of at most {@code capacity} rows. */
  public ResidualSample(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
    this.keys = new long[capacity];
    this.targets = new double[capacity][];
    this.predictions = new double[capacity][];
  }

  /** The key of row {@code index} of partition {@code partition} (SplitMix64 of its position). */
  public static long key(int partition, long index) {
    long z = ((long) partition << 40) ^ index;
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1; // non-negative
  }

  /** Whether a row with this key would be kept now. */
  public boolean accepts(long key) {
    return size < capacity || (capacity > 0 && key < keys[largest]);
  }

  /** Offers a row (the arrays are kept). */
  public void offer(long key, double[] target, double[] prediction) {
    if (!accepts(key)) {
      return;
    }
    int slot = size < capacity ? size++ : largest;
    keys[slot] = key;
    targets[slot] = target;
    predictions[slot] = prediction;
    if (size == capacity) {
      // a new row rarely enters a full sample (about capacity / rows seen), so a scan is cheap
      largest = 0;
      for (int i = 1; i < size; i++) {
        if (keys[i] > keys[largest]) {
          largest = i;
        }
      }
    }
  }

  /** Adds {@code other}'s rows into this and returns this. */
  public ResidualSample merge(ResidualSample other) {
    for (int i = 0; i < other.size; i++) {
      offer(other.keys[i], other.targets[i], other.predictions[i]);
    }
    return this;
  }

  /** Rows kept. */
  public int size() {
    return size;
  }

  /** Rows kept, ascending by key. */
  List<Row> rows() {
    List<Row> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new Row(keys[i], targets[i], predictions[i]));
    }
    out.sort(Comparator.comparingLong(Row::key));
    return out;
  }

  /**
   * JSON-ready form: {@code rows} and, per output column c, {@code target[c]} and {@code
   * prediction[c]} lists in key order.
   */
  public Map<String, Object> toMap() {
    List<Row> sorted = rows();
    int columns = sorted.isEmpty() ? 0 : sorted.get(0).target().length;
    List<Map<String, Object>> cols = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      double[] t = new double[sorted.size()];
      double[] p = new double[sorted.size()];
      for (int i = 0; i < sorted.size(); i++) {
        t[i] = sorted.get(i).target()[c];
        p[i] = sorted.get(i).prediction()[c];
      }
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("column", c);
      col.put("target", t);
      col.put("prediction", p);
      cols.add(col);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", sorted.size());
    m.put(
        "method", "uniform sample of the scored rows (bottom-k by a hash of each row's position)");
    m.put("columns", cols);
    return m;
  }
}
