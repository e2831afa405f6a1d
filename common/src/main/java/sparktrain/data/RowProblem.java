package sparktrain.data;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/**
 * A bad input row: where it is and what is wrong with it. (A plain class, not a record: it travels
 * in task results, which Spark serializes with Kryo, and Kryo cannot set a record's fields.)
 */
public final class RowProblem implements Serializable {
  private static final long serialVersionUID = 1L;

  /** File order, then position: the first problem of a kind is the one a person finds first. */
  static final Comparator<RowProblem> ORDER =
      Comparator.comparing(RowProblem::file).thenComparingLong(RowProblem::position);

  private final String file;
  private final long position;
  private final String unit;
  private final BadRowKind kind;
  private final String detail;

  /**
   * A problem.
   *
   * @param file the file's full URI
   * @param position 1-based physical line of a text file (header included), or 1-based row of a
   *     Parquet file
   * @param unit "line" or "row"
   * @param detail the column and what was expected, e.g. {@code column 'age' (index 0): expected a
   *     number, got 'abc'}
   */
  public RowProblem(String file, long position, String unit, BadRowKind kind, String detail) {
    this.file = file;
    this.position = position;
    this.unit = unit;
    this.kind = kind;
    this.detail = detail;
  }

  public String file() {
    return file;
  }

  public long position() {
    return position;
  }

  public String unit() {
    return unit;
  }

  public BadRowKind kind() {
    return kind;
  }

  public String detail() {
    return detail;
  }

  /** E.g. {@code file:/data/x.csv line 5, column 'age' (index 0): expected a number, got 'abc'}. */
  public String message() {
    return file + " " + unit + " " + position + ", " + detail;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowProblem p
        && file.equals(p.file)
        && position == p.position
        && unit.equals(p.unit)
        && kind == p.kind
        && detail.equals(p.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, position, kind);
  }

  @Override
  public String toString() {
    return kind.key() + ": " + message();
  }
}
