package sparktrain.data;

import java.util.Arrays;

/** Reads a class index from one-hot label values. */
final class OneHot {
  private OneHot() {}

  /** The position of the single 1 among {@code values} (the others all 0), or -1. */
  static int index(double[] values) {
    int at = -1;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (v == 1) {
        if (at >= 0) {
          return -1;
        }
        at = i;
      } else if (v != 0) {
        return -1;
      }
    }
    return at;
  }

  /** The message detail for values that are not one-hot. */
  static String problem(ColumnSelection columns, String[] shown) {
    return columns.describeLabel()
        + ": expected exactly one 1 and 0 in the others, got "
        + Arrays.toString(shown);
  }
}
