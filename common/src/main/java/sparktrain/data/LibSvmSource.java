package sparktrain.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import sparktrain.config.DataConfig;

/**
 * Reads LibSVM text ({@code label index:value index:value ...}, the format of Spark's {@code
 * libsvm} source: 1-based ascending indexes, whitespace-separated, blank lines and lines starting
 * with {@code #} ignored) into dense features of {@code data.libsvm.num-features} values, with file
 * and line of every row. Read as text rather than through Spark's reader, which reports neither the
 * file nor the line of a malformed row and cannot skip one.
 */
final class LibSvmSource {
  private LibSvmSource() {}

  static SourceRows read(JavaSparkContext sc, String path, DataConfig data, int partitions) {
    int n = data.libsvmNumFeatures();
    TextLines.Scan scan = TextLines.scan(sc, path, partitions);
    List<String> names = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      names.add("f" + i);
    }
    return new SourceRows(
        path,
        TextLines.parse(scan, new Parser(n)),
        names,
        "label",
        "label (the first value of the line)",
        scan.files);
  }

  /** Parses one LibSVM line on an executor. */
  static final class Parser implements TextLines.LineParser<ParsedRow> {
    private static final long serialVersionUID = 1L;
    private static final String UNIT = "line";
    private final int numFeatures;

    Parser(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    @Override
    public ParsedRow parse(String file, long line, String text) {
      String t = text.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        return null;
      }
      String[] tokens = t.split("\\s+");
      float[] values = new float[numFeatures];
      int previous = 0;
      for (int k = 1; k < tokens.length; k++) {
        String token = tokens[k];
        int colon = token.indexOf(':');
        String indexText = colon < 0 ? "" : token.substring(0, colon);
        if (colon <= 0 || !indexText.chars().allMatch(Character::isDigit)) {
          return ParsedRow.bad(
              file,
              line,
              UNIT,
              BadRowKind.MALFORMED,
              "value "
                  + k
                  + ": expected index:value with a whole index, got '"
                  + Numbers.shorten(token)
                  + "'");
        }
        long index = indexText.length() > 9 ? Long.MAX_VALUE : Long.parseLong(indexText);
        if (index < 1 || index > numFeatures) {
          return ParsedRow.bad(
              file,
              line,
              UNIT,
              BadRowKind.FEATURE_INDEX_OUT_OF_RANGE,
              "feature index "
                  + indexText
                  + ": expected 1.."
                  + numFeatures
                  + " (data.libsvm.num-features)");
        }
        if (index <= previous) {
          return ParsedRow.bad(
              file,
              line,
              UNIT,
              BadRowKind.MALFORMED,
              "feature index " + index + " after " + previous + ": indexes must ascend");
        }
        previous = (int) index;
        String valueText = token.substring(colon + 1);
        double v = Numbers.value(valueText);
        if (!Double.isFinite(v) || !Numbers.fitsFloat(v)) {
          BadRowKind kind = Double.isFinite(v) ? BadRowKind.NOT_FINITE : Numbers.problem(valueText);
          return ParsedRow.bad(
              file, line, UNIT, kind, "feature " + index + ": " + Numbers.describe(valueText));
        }
        values[(int) index - 1] = (float) v;
      }
      return ParsedRow.good(file, line, UNIT, values, tokens[0]);
    }
  }
}
