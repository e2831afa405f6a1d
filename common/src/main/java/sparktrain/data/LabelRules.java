package sparktrain.data;

import java.io.Serializable;
import sparktrain.config.Task;

/**
 * Checks a row's label on the executors. As a number (index encoding): finite, and for
 * classification a whole class index in [0, classes). As a class name: not empty.
 */
final class LabelRules implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Task task;
  private final int classes;
  private final String column;

  /**
   * @param classes the number of classes (ignored for regression)
   * @param column how messages name the label column, e.g. {@code label column 'benign' (index 30)}
   */
  LabelRules(Task task, int classes, String column) {
    this.task = task;
    this.classes = classes;
    this.column = column;
  }

  /** The problem with the row's label read as a number, or null. */
  RowProblem asIndex(ParsedRow row) {
    if (row.labelText == null) {
      return null; // one-hot: checked when parsed
    }
    String text = row.labelText;
    double v = row.labelValue;
    if (!Double.isFinite(v)) {
      return row.labelProblem(Numbers.problem(text), column + ": " + Numbers.describe(text));
    }
    if (task != Task.REGRESSION && (v != Math.rint(v) || v < 0 || v >= classes)) {
      return row.labelProblem(
          BadRowKind.LABEL_OUT_OF_RANGE,
          column
              + ": expected a class index in [0, "
              + classes
              + ")"
              + (task == Task.BINARY ? " (0 or 1 for a binary output)" : " (data.num-classes)")
              + ", got '"
              + Numbers.shorten(text)
              + "'");
    }
    return null;
  }

  /** The problem with the row's label read as a class name, or null. */
  RowProblem asName(ParsedRow row) {
    if (row.labelText != null && row.labelText.isEmpty()) {
      return row.labelProblem(
          BadRowKind.MISSING_VALUE, column + ": expected a class name, got an empty cell");
    }
    return null;
  }

  /** Whether the label is a non-empty text that is not a number (suggests class names). */
  static boolean isName(ParsedRow row) {
    return row.labelText != null
        && !Double.isFinite(row.labelValue)
        && !row.labelText.isEmpty()
        && Numbers.problem(row.labelText) == BadRowKind.NON_NUMERIC;
  }
}
