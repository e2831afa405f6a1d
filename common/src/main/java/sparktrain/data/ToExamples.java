package sparktrain.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Turns the good parsed rows of a partition into {@link Example}s on an executor, dropping the bad
 * ones by the same rules that counted them.
 */
final class ToExamples implements FlatMapFunction<Iterator<ParsedRow>, Example> {
  private static final long serialVersionUID = 1L;
  private final LabelRules rules;
  private final LabelIndex names;

  /**
   * @param names the class names' index when labels are names, else null (labels are numbers)
   */
  ToExamples(LabelRules rules, LabelIndex names) {
    this.rules = rules;
    this.names = names;
  }

  @Override
  public Iterator<Example> call(Iterator<ParsedRow> rows) {
    return new Iterator<>() {
      private Example next;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          next = convert(rows.next());
        }
        return next != null;
      }

      @Override
      public Example next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Example e = next;
        next = null;
        return e;
      }
    };
  }

  private Example convert(ParsedRow row) {
    if (row.problem != null) {
      return null;
    }
    if (names == null) {
      return rules.asIndex(row) == null
          ? new Example(row.features, row.labelValue, row.kept)
          : null;
    }
    if (rules.asName(row) != null) {
      return null;
    }
    int index = names.indexOf(row.labelText);
    return index < 0 ? null : new Example(row.features, index, row.kept);
  }
}
