package sparktrain.data;

import java.io.Serializable;
import java.util.TreeSet;

/**
 * Counts of one input's rows, aggregated on the executors in one pass: rows, bad rows by kind with
 * the first of each kind, the label problems under either label encoding, and the distinct class
 * names (up to a cap). Small enough for the driver whatever the size of the data.
 */
final class RowStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int KINDS = BadRowKind.values().length;

  private final LabelRules rules;
  private final int nameCap;

  long rows;
  final long[] cellCounts = new long[KINDS];
  final RowProblem[] cellFirst = new RowProblem[KINDS];
  final long[] indexLabelCounts = new long[KINDS];
  final RowProblem[] indexLabelFirst = new RowProblem[KINDS];
  final long[] nameLabelCounts = new long[KINDS];
  final RowProblem[] nameLabelFirst = new RowProblem[KINDS];

  /** Rows whose label is a text that is not a number. */
  long textLabels;

  final TreeSet<String> names = new TreeSet<>();

  /** Whether there were more than {@code nameCap} distinct names. */
  boolean namesOverflow;

  /**
   * @param nameCap how many distinct class names to keep (0: none, e.g. for regression)
   */
  RowStats(LabelRules rules, int nameCap) {
    this.rules = rules;
    this.nameCap = nameCap;
  }

  RowStats add(ParsedRow row) {
    rows++;
    RowProblem cell = row.cellProblem();
    if (cell != null) {
      note(cellCounts, cellFirst, cell);
      return this;
    }
    RowProblem asIndex = rules.asIndex(row);
    if (asIndex != null) {
      note(indexLabelCounts, indexLabelFirst, asIndex);
    }
    RowProblem asName = rules.asName(row);
    if (asName != null) {
      note(nameLabelCounts, nameLabelFirst, asName);
    } else if (nameCap > 0 && row.labelText != null) {
      addName(row.labelText);
    }
    if (LabelRules.isName(row)) {
      textLabels++;
    }
    return this;
  }

  RowStats merge(RowStats other) {
    rows += other.rows;
    for (int k = 0; k < KINDS; k++) {
      cellCounts[k] += other.cellCounts[k];
      cellFirst[k] = first(cellFirst[k], other.cellFirst[k]);
      indexLabelCounts[k] += other.indexLabelCounts[k];
      indexLabelFirst[k] = first(indexLabelFirst[k], other.indexLabelFirst[k]);
      nameLabelCounts[k] += other.nameLabelCounts[k];
      nameLabelFirst[k] = first(nameLabelFirst[k], other.nameLabelFirst[k]);
    }
    textLabels += other.textLabels;
    namesOverflow |= other.namesOverflow;
    for (String name : other.names) {
      addName(name);
    }
    return this;
  }

  private void addName(String name) {
    if (names.contains(name)) {
      return;
    }
    if (names.size() < nameCap) {
      names.add(name);
    } else {
      namesOverflow = true;
    }
  }

  private static void note(long[] counts, RowProblem[] firsts, RowProblem p) {
    int k = p.kind().ordinal();
    counts[k]++;
    firsts[k] = first(firsts[k], p);
  }

  private static RowProblem first(RowProblem a, RowProblem b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return RowProblem.ORDER.compare(a, b) <= 0 ? a : b;
  }
}
