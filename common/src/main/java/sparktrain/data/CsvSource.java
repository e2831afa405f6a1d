package sparktrain.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import sparktrain.config.DataConfig;

/**
 * Reads CSV files into {@link ParsedRow}s on the executors, with file and line of every row. The
 * header (or, without one, the first line) fixes the columns; {@link ColumnSelection} picks the
 * label and the features.
 */
final class CsvSource {
  private CsvSource() {}

  /**
   * Reads the CSV input at {@code path}.
   *
   * @throws DataException if there is no file, no line at all, files with different headers, or a
   *     configured column that the header lacks
   */
  static SourceRows read(JavaSparkContext sc, String path, DataConfig data, int partitions) {
    TextLines.Scan scan = TextLines.scan(sc, path, partitions);
    char delimiter = data.csv().delimiter();
    boolean header = data.csv().header();
    List<String> columns;
    String source;
    if (header) {
      if (scan.firstLines.isEmpty()) {
        throw new DataException(
            scan.path + ": empty input, no header line (data.csv.header = true) and no rows");
      }
      Map.Entry<String, String> first = scan.firstLines.entrySet().iterator().next();
      String firstFile = first.getKey();
      columns = headerCells(firstFile, first.getValue(), delimiter);
      for (Map.Entry<String, String> other : scan.firstLines.entrySet()) {
        if (!other.getValue().equals(first.getValue())) {
          throw new DataException(
              other.getKey()
                  + " line 1: expected the same header as "
                  + firstFile
                  + " line 1 (all files of an input share their columns), got '"
                  + Numbers.shorten(other.getValue())
                  + "' instead of '"
                  + Numbers.shorten(first.getValue())
                  + "'");
        }
      }
      source = "the header of " + firstFile + " (line 1)";
    } else {
      if (scan.firstNonBlank == null) {
        throw new DataException(scan.path + ": empty input, no rows");
      }
      int width = headerCells(scan.firstNonBlankFile, scan.firstNonBlank, delimiter).size();
      columns = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        columns.add("_c" + i);
      }
      source =
          "the first line of "
              + scan.firstNonBlankFile
              + " (line "
              + scan.firstNonBlankLine
              + ", "
              + width
              + " cells; data.csv.header = false)";
    }
    ColumnSelection selection = ColumnSelection.resolve(columns, data.columns(), source);
    return new SourceRows(
        path,
        TextLines.parse(
            scan,
            new Parser(selection, delimiter, header, header ? "the header" : "the first line")),
        selection.featureNames(),
        selection.labelName(),
        selection.describeLabel(),
        scan.files);
  }

  static List<String> headerCells(String file, String line, char delimiter) {
    try {
      return List.of(CsvLine.split(line, delimiter));
    } catch (CsvLine.MalformedException e) {
      throw new DataException(file + ": cannot split its first line: " + e.getMessage());
    }
  }

  /** Parses one CSV line on an executor. */
  static final class Parser implements TextLines.LineParser<ParsedRow> {
    private static final long serialVersionUID = 1L;
    private static final String UNIT = "line";
    private final ColumnSelection columns;
    private final char delimiter;
    private final boolean header;
    private final String widthSource;

    Parser(ColumnSelection columns, char delimiter, boolean header, String widthSource) {
      this.columns = columns;
      this.delimiter = delimiter;
      this.header = header;
      this.widthSource = widthSource;
    }

    private String[] kept(String[] cells) {
      if (columns.kept.length == 0) {
        return null;
      }
      String[] out = new String[columns.kept.length];
      for (int k = 0; k < out.length; k++) {
        out[k] = cells[columns.kept[k]];
      }
      return out;
    }

    @Override
    public ParsedRow parse(String file, long line, String text) {
      if ((header && line == 1) || text.isBlank()) {
        return null;
      }
      String[] cells;
      try {
        cells = CsvLine.split(text, delimiter);
      } catch (CsvLine.MalformedException e) {
        return ParsedRow.bad(file, line, UNIT, BadRowKind.MALFORMED, e.getMessage());
      }
      if (cells.length != columns.width()) {
        return ParsedRow.bad(
            file,
            line,
            UNIT,
            BadRowKind.WRONG_COLUMN_COUNT,
            "expected "
                + columns.width()
                + " cells (as in "
                + widthSource
                + "), got "
                + cells.length);
      }
      int[] features = columns.features;
      float[] values = new float[features.length];
      for (int k = 0; k < features.length; k++) {
        int c = features[k];
        String cell = cells[c];
        double v = Numbers.value(cell);
        if (!Double.isFinite(v)) {
          return ParsedRow.bad(
              file,
              line,
              UNIT,
              Numbers.problem(cell),
              columns.describe(c) + ": " + Numbers.describe(cell));
        }
        if (!Numbers.fitsFloat(v)) {
          return ParsedRow.bad(
              file,
              line,
              UNIT,
              BadRowKind.NOT_FINITE,
              columns.describe(c)
                  + ": expected a number within the float range, got '"
                  + cell
                  + "'");
        }
        values[k] = (float) v;
      }
      if (columns.label >= 0) {
        return ParsedRow.good(file, line, UNIT, values, cells[columns.label]).keeping(kept(cells));
      }
      double[] hot = new double[columns.oneHot.length];
      String[] shown = new String[hot.length];
      for (int k = 0; k < hot.length; k++) {
        shown[k] = cells[columns.oneHot[k]];
        hot[k] = Numbers.value(shown[k]);
      }
      int index = OneHot.index(hot);
      return index >= 0
          ? ParsedRow.goodOneHot(file, line, UNIT, values, index).keeping(kept(cells))
          : ParsedRow.bad(file, line, UNIT, BadRowKind.BAD_ONE_HOT, OneHot.problem(columns, shown));
    }
  }
}
