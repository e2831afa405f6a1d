package sparktrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;

/**
 * The real CSVs in {@code src/test/resources/datasets} and malformed copies of them: breast-cancer
 * (569 rows, 30 features, label {@code benign}) and diabetes (442 rows, 10 features, target {@code
 * progression}).
 */
public final class TestDatasets {
  /** Physical lines of breast-cancer.csv: the header and 569 rows. */
  public static final int BREAST_CANCER_LINES = 570;

  private TestDatasets() {}

  public static Path breastCancer() {
    return LocalSpark.resource("datasets/breast-cancer.csv");
  }

  public static Path diabetes() {
    return LocalSpark.resource("datasets/diabetes.csv");
  }

  /**
   * A minimal binary job on a breast-cancer file or directory: {@code format} ({@code csv}, {@code
   * parquet}) at {@code path}, label {@code benign}, 30 features, one sigmoid output.
   */
  public static JobConfig breastCancerJob(String format, Path path, String... more) {
    List<String> sets = new ArrayList<>();
    sets.add("data.format=" + format);
    sets.add("data.path=\"" + path + "\"");
    sets.add("data.label=benign");
    sets.add("data.num-classes=2");
    sets.add("model.input.size=30");
    sets.add("model.layers=[{type=output, units=1, activation=sigmoid, loss=xent}]");
    sets.addAll(List.of(more));
    return ConfigLoader.load(null, sets);
  }

  /** The lines of a file. */
  public static List<String> lines(Path file) {
    try {
      return new ArrayList<>(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code lines} (each ending with a newline) to {@code dir/name}. */
  public static Path write(Path dir, String name, List<String> lines) {
    try {
      return Files.writeString(
          dir.resolve(name), lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code lines} with the cell of {@code column} (a header name) on physical line {@code line}
   * (1-based, the header is line 1) replaced by {@code value}.
   */
  public static List<String> withCell(List<String> lines, int line, String column, String value) {
    int c = Arrays.asList(lines.get(0).split(",", -1)).indexOf(column);
    if (c < 0) {
      throw new IllegalArgumentException("no column " + column);
    }
    String[] cells = lines.get(line - 1).split(",", -1);
    cells[c] = value;
    List<String> out = new ArrayList<>(lines);
    out.set(line - 1, String.join(",", cells));
    return out;
  }

  /** {@code lines} with the last cell of physical line {@code line} removed. */
  public static List<String> withShortRow(List<String> lines, int line) {
    List<String> out = new ArrayList<>(lines);
    String row = out.get(line - 1);
    out.set(line - 1, row.substring(0, row.lastIndexOf(',')));
    return out;
  }

  /** The cells of physical line {@code line}. */
  public static String[] cells(List<String> lines, int line) {
    return lines.get(line - 1).split(",", -1);
  }
}
