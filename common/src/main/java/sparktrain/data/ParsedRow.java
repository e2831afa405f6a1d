package sparktrain.data;

import java.io.Serializable;

/**
 * One input row after its cells were parsed, before the label is checked: the features (or the
 * problem that made them unusable) and the raw label. Produced and consumed on the executors.
 */
final class ParsedRow implements Serializable {
  private static final long serialVersionUID = 1L;

  final String file;
  final long position;
  final String unit;

  /** The features, or null when {@link #problem} is set. */
  final float[] features;

  /** The label as written (trimmed), or null for a one-hot label (then {@link #labelValue}). */
  final String labelText;

  /** The label as a number: NaN when it is not a finite number. */
  final double labelValue;

  /** Why the row's cells are unusable, or null. */
  final BadRowKind problem;

  final String detail;

  /** The {@code --keep-columns} cells of a good row, as text (null cells stay null), or null. */
  String[] kept;

  private ParsedRow(
      String file,
      long position,
      String unit,
      float[] features,
      String labelText,
      double labelValue,
      BadRowKind problem,
      String detail) {
    this.file = file;
    this.position = position;
    this.unit = unit;
    this.features = features;
    this.labelText = labelText;
    this.labelValue = labelValue;
    this.problem = problem;
    this.detail = detail;
  }

  /** A row whose features are good; the label is checked later. */
  static ParsedRow good(
      String file, long position, String unit, float[] features, String labelText) {
    return new ParsedRow(
        file, position, unit, features, labelText, Numbers.value(labelText), null, null);
  }

  /** A row with a one-hot label already turned into its class index. */
  static ParsedRow goodOneHot(
      String file, long position, String unit, float[] features, int classIndex) {
    return new ParsedRow(file, position, unit, features, null, classIndex, null, null);
  }

  /** A row whose cells are unusable. */
  static ParsedRow bad(String file, long position, String unit, BadRowKind kind, String detail) {
    return new ParsedRow(file, position, unit, null, null, Double.NaN, kind, detail);
  }

  /** The problem with this row's cells, or null. */
  /** This row with the cells of its kept columns. */
  ParsedRow keeping(String[] cells) {
    kept = cells;
    return this;
  }

  RowProblem cellProblem() {
    return problem == null ? null : new RowProblem(file, position, unit, problem, detail);
  }

  /** A label problem of this row. */
  RowProblem labelProblem(BadRowKind kind, String labelDetail) {
    return new RowProblem(file, position, unit, kind, labelDetail);
  }
}
