package sparktrain.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into cells. A cell may be quoted with {@code "} (then it may hold the
 * delimiter, and {@code ""} stands for a quote); unquoted cells and the space around quoted ones
 * are trimmed. A quoted cell cannot span lines.
 */
final class CsvLine {
  private CsvLine() {}

  /** A line that cannot be split, e.g. an unterminated quote. */
  static final class MalformedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /**
   * The cells of {@code line}.
   *
   * @throws MalformedException on an unterminated quote or text after a closing quote
   */
  static String[] split(String line, char delimiter) {
    List<String> cells = new ArrayList<>();
    int n = line.length();
    int i = 0;
    while (true) {
      int start = i;
      while (i < n && line.charAt(i) != delimiter && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i < n && line.charAt(i) == '"') {
        StringBuilder cell = new StringBuilder();
        int column = cells.size();
        i++;
        while (true) {
          if (i >= n) {
            throw new MalformedException(
                "cell " + column + ": unterminated quote (a quoted cell cannot span lines)");
          }
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              cell.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          cell.append(c);
          i++;
        }
        while (i < n && line.charAt(i) != delimiter && Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new MalformedException(
              "cell "
                  + column
                  + ": expected the delimiter after a closing quote, got '"
                  + line.charAt(i)
                  + "'");
        }
        cells.add(cell.toString());
      } else {
        i = start;
        while (i < n && line.charAt(i) != delimiter) {
          i++;
        }
        cells.add(line.substring(start, i).trim());
      }
      if (i >= n) {
        return cells.toArray(new String[0]);
      }
      i++; // the delimiter
    }
  }
}
