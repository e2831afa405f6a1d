package sparktrain.data;

import java.io.EOFException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Text files read in parallel with the physical line number of every line, so that a bad row can be
 * reported as {@code file line N}.
 *
 * <p>Files are cut into input splits (several per big file) read by the executors. A first pass
 * counts the lines of each split (and keeps each split's first line); the driver turns the counts
 * into the number of the first line of each split, and the second pass numbers the lines as it
 * parses them. Only one small record per split comes to the driver. Lines may end with LF or CRLF;
 * a UTF-8 byte order mark at the start of a file is dropped.
 */
final class TextLines {
  private static final String BOM = "\uFEFF";

  private TextLines() {}

  /** Parses one line; returns null to drop it (blank line, header). */
  @FunctionalInterface
  interface LineParser<T> extends Serializable {
    T parse(String file, long line, String text);
  }

  /** What the first pass learned about one input split. */
  static final class SplitInfo implements Serializable {
    private static final long serialVersionUID = 1L;
    String file;
    long start;
    long lines;
    String firstLine;
    String firstNonBlank;
    long firstNonBlankIndex;
  }

  /** The result of the first pass over the files of one input path. */
  static final class Scan {
    final String path;
    final JavaHadoopRDD<LongWritable, Text> rdd;
    final List<String> files;
    final Map<String, String> firstLines;
    final Map<String, Long> firstLineNumbers;
    final long lines;
    final String firstNonBlank;
    final String firstNonBlankFile;
    final long firstNonBlankLine;

    private Scan(String path, JavaHadoopRDD<LongWritable, Text> rdd, List<SplitInfo> infos) {
      this.path = path;
      this.rdd = rdd;
      List<SplitInfo> sorted = new ArrayList<>(infos);
      List<String> order = new ArrayList<>();
      for (SplitInfo i : infos) {
        if (!order.contains(i.file)) {
          order.add(i.file);
        }
      }
      sorted.sort(
          Comparator.comparingInt((SplitInfo i) -> order.indexOf(i.file))
              .thenComparingLong(i -> i.start));
      Map<String, Long> seen = new HashMap<>();
      Map<String, Long> numbers = new HashMap<>();
      Map<String, String> first = new LinkedHashMap<>();
      String nonBlank = null;
      String nonBlankFile = null;
      long nonBlankLine = 0;
      long total = 0;
      for (SplitInfo i : sorted) {
        long before = seen.getOrDefault(i.file, 0L);
        numbers.put(key(i.file, i.start), before + 1);
        if (i.start == 0 && i.firstLine != null) {
          first.put(i.file, i.firstLine);
        }
        if (nonBlank == null && i.firstNonBlank != null) {
          nonBlank = i.firstNonBlank;
          nonBlankFile = i.file;
          nonBlankLine = before + 1 + i.firstNonBlankIndex;
        }
        seen.put(i.file, before + i.lines);
        total += i.lines;
      }
      this.files = List.copyOf(order);
      this.firstLines = first;
      this.firstLineNumbers = numbers;
      this.lines = total;
      this.firstNonBlank = nonBlank;
      this.firstNonBlankFile = nonBlankFile;
      this.firstNonBlankLine = nonBlankLine;
    }
  }

  /**
   * First pass over the text files at {@code path} (a file, a directory of files or a glob).
   *
   * @throws DataException if nothing exists at {@code path}, or it holds no files
   */
  static Scan scan(JavaSparkContext sc, String path, int minPartitions) {
    Configuration conf = sc.hadoopConfiguration();
    Path qualified = HadoopPaths.qualify(path, conf);
    InputFiles.list(path, conf); // a clear error when there is nothing to read
    @SuppressWarnings("unchecked")
    JavaHadoopRDD<LongWritable, Text> rdd =
        (JavaHadoopRDD<LongWritable, Text>)
            sc.hadoopFile(
                qualified.toString(),
                TextInputFormat.class,
                LongWritable.class,
                Text.class,
                Math.max(1, minPartitions));
    rdd.setName("text " + qualified);
    List<SplitInfo> infos;
    // a failed task arrives as Spark's SparkException: checked, but undeclared by collect()
    try {
      infos = firstPass(rdd);
    } catch (Exception e) {
      java.util.Optional<DataException> truncated = truncated(qualified, e);
      if (truncated.isPresent()) {
        throw truncated.get();
      }
      throw e;
    }
    return new Scan(qualified.toString(), rdd, infos);
  }

  /**
   * A compressed file that ends too early fails its Spark task with an {@link EOFException}: bad
   * input (exit 2) rather than a failure, named by the input.
   */
  private static java.util.Optional<DataException> truncated(Path input, Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof EOFException) {
        return java.util.Optional.of(
            new DataException(
                input
                    + ": "
                    + c.getMessage()
                    + " while reading it: a compressed file (.gz, .bz2, ...) that ends too early;"
                    + " is it truncated? copy it again",
                e));
      }
    }
    return java.util.Optional.empty();
  }

  private static List<SplitInfo> firstPass(JavaHadoopRDD<LongWritable, Text> rdd) {
    return rdd.mapPartitionsWithInputSplit(
            (split, it) -> {
              FileSplit fs = (FileSplit) split;
              SplitInfo info = new SplitInfo();
              info.file = fs.getPath().toString();
              info.start = fs.getStart();
              while (it.hasNext()) {
                String text = it.next()._2().toString();
                if (info.lines == 0) {
                  text = info.start == 0 ? stripBom(text) : text;
                  info.firstLine = text;
                }
                if (info.firstNonBlank == null && !text.isBlank()) {
                  info.firstNonBlank = text;
                  info.firstNonBlankIndex = info.lines;
                }
                info.lines++;
              }
              return List.of(info).iterator();
            },
            true)
        .collect();
  }

  /**
   * Second pass: every line of the scanned files through {@code parser}, with its file (full URI)
   * and 1-based physical line number; null results are dropped.
   */
  static <T> JavaRDD<T> parse(Scan scan, LineParser<T> parser) {
    Map<String, Long> numbers = new HashMap<>(scan.firstLineNumbers);
    return scan.rdd.mapPartitionsWithInputSplit(
        (split, it) -> {
          FileSplit fs = (FileSplit) split;
          String file = fs.getPath().toString();
          long start = fs.getStart();
          Long first = numbers.get(key(file, start));
          if (first == null) {
            throw new IllegalStateException(
                "input split " + key(file, start) + " was not seen by the first pass");
          }
          return new NumberedLines<>(it, file, start == 0, first, parser);
        },
        true);
  }

  private static String key(String file, long start) {
    return file + "@" + start;
  }

  private static String stripBom(String text) {
    return text.startsWith(BOM) ? text.substring(1) : text;
  }

  /** Numbers the lines of one split and parses them, dropping null results. */
  private static final class NumberedLines<T> implements Iterator<T> {
    private final Iterator<Tuple2<LongWritable, Text>> lines;
    private final String file;
    private final LineParser<T> parser;
    private boolean fileStart;
    private long number;
    private T next;

    NumberedLines(
        Iterator<Tuple2<LongWritable, Text>> lines,
        String file,
        boolean fileStart,
        long first,
        LineParser<T> parser) {
      this.lines = lines;
      this.file = file;
      this.fileStart = fileStart;
      this.number = first;
      this.parser = parser;
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        String text = lines.next()._2().toString();
        if (fileStart) {
          text = stripBom(text);
          fileStart = false;
        }
        next = parser.parse(file, number++, text);
      }
      return next != null;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T out = next;
      next = null;
      return out;
    }
  }
}
