package sparktrain.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import sparktrain.config.BadRowPolicy;
import sparktrain.config.DataConfig;
import sparktrain.config.DataFormat;
import sparktrain.config.LabelEncoding;
import sparktrain.config.Task;

/**
 * The driver-side part of {@link InputPreflight} for CSV, Parquet and LibSVM: every input's files,
 * its header or schema against the configured columns and the network's input, and its first
 * {@value InputPreflight#SAMPLE_ROWS} rows through the executors' own parsers and label rules.
 */
final class TabularPreflight {
  private static final int KINDS = BadRowKind.values().length;

  /** At most this many files and bytes are read for the first rows of one input. */
  private static final int SAMPLE_FILES = 8;

  private static final long SAMPLE_BYTES = 8L << 20;

  private final DataConfig data;
  private final InputPreflight.Expectation expected;
  private final Configuration conf;
  private final List<String> problems;

  TabularPreflight(
      DataConfig data,
      InputPreflight.Expectation expected,
      Configuration conf,
      List<String> problems) {
    this.data = data;
    this.expected = expected;
    this.conf = conf;
    this.problems = problems;
  }

  /** The first rows of one input, parsed, and what they tell. */
  static final class Sample {
    final List<ParsedRow> rows = new ArrayList<>();
    List<String> featureNames;
    String labelDescription;

    /** Whether every file was read to its end (the sample is the whole input). */
    boolean complete = true;

    /** Where the sample came from, e.g. {@code the first 1000 rows of file:/x.csv}. */
    String where;
  }

  void run() {
    List<String> keys = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    keys.add(data.path().isBlank() ? "data.train.path" : "data.path");
    paths.add(data.mainPath());
    if (data.validation().hasPath()) {
      keys.add("data.validation.path");
      paths.add(data.validation().path());
    }
    if (data.test().hasPath()) {
      keys.add("data.test.path");
      paths.add(data.test().path());
    }
    List<String> mainFeatures = null;
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String path = paths.get(i);
      Sample sample;
      try {
        sample = sample(key, path);
      } catch (DataException e) {
        problems.add(key + " = " + path + ": " + e.getMessage());
        continue;
      } catch (UnsupportedFileSystemException e) {
        problems.add(key + " = " + path + ": " + e.getMessage());
        continue;
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof UnsupportedFileSystemException)) {
          throw e; // an I/O failure, not a user error
        }
        problems.add(key + " = " + path + ": " + e.getCause().getMessage());
        continue;
      } catch (java.io.EOFException e) {
        problems.add(
            key
                + " = "
                + path
                + ": "
                + e.getMessage()
                + " while reading its first rows: a compressed file (.gz, .bz2, ...) that ends too"
                + " early; is it truncated? copy it again");
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + key + " = " + path + ": " + e, e);
      }
      if (sample == null) {
        continue; // reported
      }
      if (i == 0) {
        mainFeatures = sample.featureNames;
        width(key, path, sample);
      } else if (mainFeatures != null && !sample.featureNames.equals(mainFeatures)) {
        problems.add(
            key
                + " = "
                + path
                + ": expected the feature columns of "
                + keys.get(0)
                + " ("
                + ColumnSelection.list(mainFeatures)
                + "), got "
                + ColumnSelection.list(sample.featureNames));
        continue;
      }
      rows(key, path, sample);
    }
  }

  /** The feature count against the network's input. */
  private void width(String key, String path, Sample sample) {
    int n = sample.featureNames.size();
    int size = expected.input().size();
    if (n == size) {
      return;
    }
    String fix = expected.fix();
    if (fix == null) {
      fix =
          data.format() == DataFormat.LIBSVM
              ? "set model.input.size = " + n + " (data.libsvm.num-features)"
              : "set model.input.size = "
                  + n
                  + ", or choose the features with data.features / data.exclude";
    }
    problems.add(
        key
            + " = "
            + path
            + ": the data has "
            + n
            + (data.format() == DataFormat.LIBSVM
                ? " features (data.libsvm.num-features)"
                : " feature columns (" + ColumnSelection.list(sample.featureNames) + ")")
            + ", but "
            + expected.describeInput()
            + "; "
            + fix);
  }

  /** The bad rows among the first rows, the way the distributed pass would count them. */
  private void rows(String key, String path, Sample sample) {
    String prefix = key + " = " + path + ": ";
    if (sample.rows.isEmpty()) {
      if (sample.complete) {
        problems.add(prefix + "empty input, no data rows");
      }
      return;
    }
    boolean namesPossible =
        expected.task() != Task.REGRESSION
            && data.columns().oneHotLabel().isEmpty()
            && data.columns().labelEncoding() != LabelEncoding.INDEX;
    LabelRules rules =
        new LabelRules(expected.task(), expected.classCount(), sample.labelDescription);
    int nameCap = namesPossible ? expected.classCount() + 1 : 0;
    RowStats stats = new RowStats(rules, nameCap);
    for (ParsedRow r : sample.rows) {
      stats.add(r);
    }
    boolean names =
        namesPossible
            && (data.columns().labelEncoding() == LabelEncoding.NAMES || stats.textLabels > 0);
    long[] labelCounts = names ? stats.nameLabelCounts : stats.indexLabelCounts;
    RowProblem[] labelFirst = names ? stats.nameLabelFirst : stats.indexLabelFirst;
    long bad = 0;
    StringBuilder kinds = new StringBuilder();
    for (int k = 0; k < KINDS; k++) {
      long n = stats.cellCounts[k] + labelCounts[k];
      if (n == 0) {
        continue;
      }
      bad += n;
      RowProblem first = earliest(stats.cellFirst[k], labelFirst[k]);
      kinds
          .append("\n    ")
          .append(BadRowKind.values()[k].key())
          .append(" (")
          .append(n)
          .append(n == 1 ? " row" : " rows")
          .append("), first at ")
          .append(first.message());
    }
    if (bad > 0 && data.badRows() == BadRowPolicy.FAIL) {
      problems.add(
          prefix
              + bad
              + " bad of "
              + sample.where
              + " (data.bad-rows = fail; set data.bad-rows = skip to train on the good rows):"
              + kinds);
    } else if (bad == stats.rows && sample.complete) {
      problems.add(prefix + "no usable rows, all " + stats.rows + " are bad:" + kinds);
    }
    if (names && (stats.namesOverflow || stats.names.size() > expected.classCount())) {
      TreeSet<String> shown = new TreeSet<>(stats.names);
      problems.add(
          prefix
              + sample.labelDescription
              + ": more than "
              + expected.classCount()
              + " distinct class names in "
              + sample.where
              + " ("
              + expected.classesName()
              + "), e.g. "
              + String.join(", ", shown.stream().limit(expected.classCount() + 1L).toList())
              + "; is data.label the right column?");
    }
  }

  private static RowProblem earliest(RowProblem a, RowProblem b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return RowProblem.ORDER.compare(a, b) <= 0 ? a : b;
  }

  /** The first rows of an input, or null after reporting why there are none to look at. */
  private Sample sample(String key, String path) throws IOException {
    List<String> files = InputFiles.list(path, conf);
    return switch (data.format()) {
      case CSV -> csv(key, path, files);
      case LIBSVM -> libsvm(key, path, files);
      case PARQUET -> ParquetPreflight.sample(files, data, conf);
      case IDX -> throw new IllegalArgumentException("IDX is not a tabular format");
    };
  }

  private Sample csv(String key, String path, List<String> files) throws IOException {
    char delimiter = data.csv().delimiter();
    boolean header = data.csv().header();
    TextSample text = TextSample.read(files, conf, header, false);
    if (text.binary != null) {
      problems.add(key + " = " + path + ": " + text.binary);
      return null;
    }
    List<String> columns;
    String source;
    if (header) {
      if (text.firstLines.isEmpty()) {
        if (text.complete) {
          problems.add(
              key
                  + " = "
                  + path
                  + ": empty input, no header line (data.csv.header = true) and no rows");
        }
        return null;
      }
      String firstFile = text.firstLines.get(0)[0];
      String firstLine = text.firstLines.get(0)[1];
      for (String[] other : text.firstLines) {
        if (!other[1].equals(firstLine)) {
          problems.add(
              other[0]
                  + " line 1: expected the same header as "
                  + firstFile
                  + " line 1 (all files of an input share their columns), got '"
                  + Numbers.shorten(other[1])
                  + "' instead of '"
                  + Numbers.shorten(firstLine)
                  + "'");
          return null;
        }
      }
      columns = CsvSource.headerCells(firstFile, firstLine, delimiter);
      source = "the header of " + firstFile + " (line 1)";
    } else {
      if (text.firstNonBlank == null) {
        if (text.complete) {
          problems.add(key + " = " + path + ": empty input, no rows");
        }
        return null;
      }
      int width =
          CsvSource.headerCells(text.firstNonBlankFile, text.firstNonBlank, delimiter).size();
      columns = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        columns.add("_c" + i);
      }
      source =
          "the first line of "
              + text.firstNonBlankFile
              + " ("
              + width
              + " cells; data.csv.header = false)";
    }
    ColumnSelection selection = ColumnSelection.resolve(columns, data.columns(), source);
    CsvSource.Parser parser =
        new CsvSource.Parser(
            selection, delimiter, header, header ? "the header" : "the first line");
    Sample s = new Sample();
    for (TextSample.Line l : text.lines) {
      ParsedRow row = parser.parse(l.file(), l.number(), l.text());
      if (row != null && s.rows.size() < InputPreflight.SAMPLE_ROWS) {
        s.rows.add(row);
      }
    }
    s.featureNames = selection.featureNames();
    s.labelDescription = selection.describeLabel();
    s.complete = text.complete && s.rows.size() < InputPreflight.SAMPLE_ROWS;
    s.where = where(s, files);
    return s;
  }

  private Sample libsvm(String key, String path, List<String> files) throws IOException {
    int n = data.libsvmNumFeatures();
    TextSample text = TextSample.read(files, conf, false, true);
    Sample s = new Sample();
    s.featureNames = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      s.featureNames.add("f" + i);
    }
    s.labelDescription = "label (the first value of the line)";
    if (text.binary != null) {
      problems.add(key + " = " + path + ": " + text.binary);
      return null;
    }
    LibSvmSource.Parser parser = new LibSvmSource.Parser(n);
    for (TextSample.Line l : text.lines) {
      ParsedRow row = parser.parse(l.file(), l.number(), l.text());
      if (row != null && s.rows.size() < InputPreflight.SAMPLE_ROWS) {
        s.rows.add(row);
      }
    }
    s.complete = text.complete && s.rows.size() < InputPreflight.SAMPLE_ROWS;
    s.where = where(s, files);
    return s;
  }

  static String where(Sample s, List<String> files) {
    if (s.complete) {
      return "all " + s.rows.size() + " rows";
    }
    return "the first "
        + s.rows.size()
        + " rows (of "
        + files.get(0)
        + (files.size() > 1 ? ", ..." : "")
        + ")";
  }

  /** The first lines of an input's text files, read on the driver. */
  static final class TextSample {
    /** One line: file URI, 1-based physical line number, text. */
    record Line(String file, long number, String text) {}

    final List<Line> lines = new ArrayList<>();

    /** File and first line of every file read (BOM dropped). */
    final List<String[]> firstLines = new ArrayList<>();

    String firstNonBlank;
    String firstNonBlankFile;

    /** Whether every file was read to its end. */
    boolean complete = true;

    /** Why the input is not text, or null. */
    String binary;

    /**
     * Reads lines until {@value InputPreflight#SAMPLE_ROWS} data lines (non-blank; not the header
     * line; not a {@code #} comment for libsvm), {@value #SAMPLE_FILES} files or {@value
     * #SAMPLE_BYTES} bytes.
     */
    static TextSample read(List<String> files, Configuration conf, boolean header, boolean comments)
        throws IOException {
      TextSample s = new TextSample();
      CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
      long bytes = 0;
      int dataLines = 0;
      int fileCount = 0;
      for (String file : files) {
        if (dataLines >= InputPreflight.SAMPLE_ROWS
            || fileCount >= SAMPLE_FILES
            || bytes >= SAMPLE_BYTES) {
          s.complete = false;
          break;
        }
        fileCount++;
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(conf);
        CompressionCodec codec = codecs.getCodec(p);
        try (InputStream raw = fs.open(p);
            InputStream in = codec == null ? raw : codec.createInputStream(raw);
            BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          long number = 0;
          while ((line = r.readLine()) != null) {
            number++;
            bytes += line.length() + 1;
            if (number == 1) {
              if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
              }
              if (line.indexOf('\0') >= 0) {
                s.binary = binaryProblem(file, line);
                return s;
              }
              s.firstLines.add(new String[] {file, line});
            }
            if (s.firstNonBlank == null && !line.isBlank()) {
              s.firstNonBlank = line;
              s.firstNonBlankFile = file;
            }
            s.lines.add(new Line(file, number, line));
            boolean isData =
                !line.isBlank()
                    && !(header && number == 1)
                    && !(comments && line.trim().startsWith("#"));
            if (isData && ++dataLines >= InputPreflight.SAMPLE_ROWS) {
              if (r.readLine() != null) {
                s.complete = false;
              }
              break;
            }
            if (bytes >= SAMPLE_BYTES) {
              s.complete = r.readLine() == null && s.complete;
              break;
            }
          }
        }
      }
      if (fileCount < files.size()) {
        s.complete = false;
      }
      return s;
    }

    private static String binaryProblem(String file, String line) {
      String hint =
          line.length() >= 3 && line.charAt(0) == 0 && line.charAt(1) == 0 && line.charAt(2) == 8
              ? " (it starts like an IDX file: for MNIST-style images and labels set data.format ="
                  + " idx and data.<split>.images / .labels)"
              : "";
      return String.format(
          Locale.ROOT,
          "%s is not a text file (NUL bytes in its first line); expected %s text%s",
          file,
          "CSV or LibSVM",
          hint);
    }
  }
}
