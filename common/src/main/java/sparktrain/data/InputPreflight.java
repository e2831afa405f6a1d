package sparktrain.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.DataConfig;
import sparktrain.config.DataFormat;
import sparktrain.config.InputConfig;
import sparktrain.config.InputType;
import sparktrain.config.JobConfig;
import sparktrain.config.ModelConfig;
import sparktrain.config.SplitPaths;
import sparktrain.config.Task;

/**
 * Checks the inputs a {@code data} section names against the network, on the driver, before any
 * Spark job or training: what would otherwise fail inside Spark tasks (or, worse, train silently on
 * wrong labels) fails here with one {@link DataException} listing every problem, each naming the
 * key, the file and what was expected.
 *
 * <ul>
 *   <li>IDX: both headers of every split (missing, a directory, empty, not IDX, truncated, images
 *       and labels swapped, counts that differ, an offset past the end), the image size against
 *       {@code model.input}, and every label of the records used against the classes (label files
 *       are one byte per record: 60 KB for MNIST's training set, read on the driver).
 *   <li>CSV, Parquet, LibSVM: every input's files, the header or schema (configured columns that
 *       are missing, the feature count against {@code model.input.size}, validation and test inputs
 *       with other columns) and the first {@value #SAMPLE_ROWS} rows, parsed exactly as the
 *       executors parse them: under {@code data.bad-rows = fail} every kind of bad row among them
 *       (a label outside the classes, a cell that is not a number, ...) is reported at once. The
 *       distributed pass over all rows still checks the rest.
 * </ul>
 */
public final class InputPreflight {
  private static final Logger LOG = LoggerFactory.getLogger(InputPreflight.class);

  /** Data rows of each tabular input parsed on the driver. */
  public static final int SAMPLE_ROWS = 1000;

  /** Distinct bad label values listed in a message. */
  private static final int LISTED_VALUES = 5;

  private static final int BUFFER_BYTES = 1 << 16;

  private InputPreflight() {}

  /** Which splits a job uses: their shapes and labels must fit; the others only need to be read. */
  public enum Usage {
    /** Training (train, retrain, benchmark): every split. */
    TRAIN,
    /** Scoring the test split ({@code evaluate}, {@code predict}). */
    SCORE_TEST,
    /** Scoring the training split ({@code --split train}). */
    SCORE_TRAIN
  }

  /**
   * What the data must fit.
   *
   * @param input the network's input shape
   * @param task what the labels mean
   * @param classCount labels must be in [0, classCount) (ignored for regression)
   * @param inputName how messages name the input, e.g. {@code model.input}
   * @param classesName how messages name the classes, e.g. {@code data.num-classes = 10}
   * @param fix what to do about a shape that does not fit, or null for "set model.input..."
   */
  public record Expectation(
      InputConfig input,
      Task task,
      int classCount,
      String inputName,
      String classesName,
      String fix) {

    /** A training job: its own {@code model.input} and {@code data.num-classes}. */
    public static Expectation of(JobConfig config) {
      DataConfig data = config.data();
      String classes =
          data.task() == Task.BINARY
              ? "a binary output: 0 or 1"
              : "data.num-classes = " + data.numClasses();
      return new Expectation(
          config.model().input(), data.task(), data.classCount(), "model.input", classes, null);
    }

    /**
     * A saved model: the input and classes it was trained with.
     *
     * @param trained the model section it was trained with
     * @param classCount its number of classes (0 for regression)
     * @param model how messages name it, e.g. {@code --model runs/m1}
     */
    public static Expectation ofModel(ModelConfig trained, int classCount, String model) {
      Task task = Task.of(trained.outputLayer().loss(), trained.outputLayer().units());
      return new Expectation(
          trained.input(),
          task,
          classCount,
          "the input of the model (" + model + ")",
          "the model's " + classCount + " classes (" + model + ")",
          "score it on data of the shape it was trained on, or use a model trained on this data");
    }

    /** E.g. {@code model.input.size is 100} or {@code model.input is 32 x 32 x 1 (h x w x c)}. */
    String describeInput() {
      String verb = inputName.equals("model.input") ? " is " : " takes ";
      if (input.type() == InputType.IMAGE) {
        return inputName
            + verb
            + input.height()
            + " x "
            + input.width()
            + " x "
            + input.channels()
            + " (height x width x channels)";
      }
      return inputName.equals("model.input")
          ? "model.input.size is " + input.size()
          : inputName + " takes " + input.size() + " values";
    }
  }

  /**
   * Checks the inputs of {@code data} against {@code expected}.
   *
   * @throws DataException listing every problem found (one per line), or naming the only one
   */
  public static void check(DataConfig data, Expectation expected, Usage usage, Configuration conf) {
    long t0 = System.nanoTime();
    List<String> problems = new ArrayList<>();
    if (data.format() == DataFormat.IDX) {
      new Idx(data, expected, usage, conf, problems).run();
    } else {
      new TabularPreflight(data, expected, conf, problems).run();
    }
    if (problems.size() == 1) {
      throw new DataException(problems.get(0));
    }
    if (!problems.isEmpty()) {
      throw new DataException(
          problems.size() + " problems with the input data:\n  " + String.join("\n  ", problems));
    }
    LOG.info(
        String.format(
            Locale.ROOT,
            "Inputs checked in %.0f ms: the %s data fits (%s%s)",
            (System.nanoTime() - t0) / 1e6,
            data.format().name().toLowerCase(Locale.ROOT),
            expected.describeInput(),
            expected.task() == Task.REGRESSION ? "" : "; labels within " + expected.classesName()));
  }

  /** The IDX checks of one job. */
  private static final class Idx {
    private final DataConfig data;
    private final Expectation expected;
    private final Usage usage;
    private final Configuration conf;
    private final List<String> problems;

    Idx(
        DataConfig data,
        Expectation expected,
        Usage usage,
        Configuration conf,
        List<String> problems) {
      this.data = data;
      this.expected = expected;
      this.usage = usage;
      this.conf = conf;
      this.problems = problems;
    }

    void run() {
      boolean train = usage != Usage.SCORE_TEST;
      boolean test = usage != Usage.SCORE_TRAIN;
      split("data.train", data.train(), data.trainOffset(), data.trainLimit(), train);
      if (data.validation().hasIdx()) {
        split("data.validation", data.validation(), 0, 0, usage == Usage.TRAIN);
      }
      split("data.test", data.test(), 0, data.testLimit(), test);
    }

    /** One split: headers always (the reader opens them); shape and labels when it is used. */
    private void split(String key, SplitPaths paths, int offset, int limit, boolean used) {
      IdxHeader images = header(key + ".images", paths.images());
      IdxHeader labels = header(key + ".labels", paths.labels());
      if (images == null || labels == null) {
        return;
      }
      try {
        IdxDataset.checkShapes(images, labels);
      } catch (DataException e) {
        problems.add(key + ": " + e.getMessage());
        return;
      }
      if (offset > 0 && offset >= images.count()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "data.train-offset = %d: %s = %s has %d records, so the offset leaves none",
                offset,
                key + ".images",
                images.path(),
                images.count()));
        return;
      }
      if (!used) {
        return;
      }
      shape(key + ".images", images);
      if (expected.task() != Task.REGRESSION && expected.classCount() > 0) {
        long end = limit == 0 ? labels.count() : Math.min(labels.count(), (long) offset + limit);
        labels(key + ".labels", labels, offset, end);
      }
    }

    private IdxHeader header(String key, String path) {
      try {
        return IdxHeader.read(HadoopPaths.qualify(path, conf), conf);
      } catch (DataException e) {
        problems.add(key + ": " + e.getMessage()); // the message names the qualified path
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof UnsupportedFileSystemException)) {
          throw e; // an I/O failure, not a user error
        }
        problems.add(key + " = " + path + ": " + e.getCause().getMessage());
      }
      return null;
    }

    private void shape(String key, IdxHeader images) {
      int[] dims = images.dims();
      int rows = dims[1];
      int cols = dims[2];
      InputConfig in = expected.input();
      boolean fits =
          in.type() == InputType.IMAGE
              ? in.height() == rows && in.width() == cols && in.channels() == 1
              : in.size() == images.recordSize();
      if (fits) {
        return;
      }
      String fix = expected.fix();
      if (fix == null) {
        fix =
            in.type() == InputType.IMAGE
                ? "set model.input.height = "
                    + rows
                    + ", model.input.width = "
                    + cols
                    + " and model.input.channels = 1"
                : "set model.input.size = " + images.recordSize();
      }
      problems.add(
          String.format(
              Locale.ROOT,
              "%s = %s: its images are %d x %d pixels (%d values, 1 channel), but %s; %s",
              key,
              images.path(),
              rows,
              cols,
              images.recordSize(),
              expected.describeInput(),
              fix));
    }

    /** Reads the labels of records [start, end) and reports those outside the classes. */
    private void labels(String key, IdxHeader labels, long start, long end) {
      long[] counts = new long[256];
      long[] first = new long[256];
      Path path = new Path(labels.path());
      try {
        FileSystem fs = path.getFileSystem(conf);
        try (FSDataInputStream in = fs.open(path)) {
          in.seek(labels.offsetOf(start));
          byte[] buf = new byte[BUFFER_BYTES];
          long record = start;
          while (record < end) {
            int want = (int) Math.min(buf.length, end - record);
            readFully(in, buf, want, labels, record);
            for (int i = 0; i < want; i++, record++) {
              int v = buf[i] & 0xff;
              if (counts[v]++ == 0) {
                first[v] = record;
              }
            }
          }
        }
      } catch (DataException e) {
        problems.add(key + ": " + e.getMessage());
        return;
      } catch (IOException e) {
        problems.add(key + " = " + labels.path() + ": cannot be read: " + e);
        return;
      }
      int classes = expected.classCount();
      long bad = 0;
      List<String> shown = new ArrayList<>();
      for (int v = classes; v < 256; v++) {
        if (counts[v] > 0) {
          bad += counts[v];
          if (shown.size() < LISTED_VALUES) {
            shown.add(
                String.format(
                    Locale.ROOT,
                    "%d (%d %s, first record %d)",
                    v,
                    counts[v],
                    counts[v] == 1 ? "record" : "records",
                    first[v]));
          }
        }
      }
      if (bad == 0) {
        return;
      }
      long distinct = 0;
      for (int v = classes; v < 256; v++) {
        distinct += counts[v] > 0 ? 1 : 0;
      }
      problems.add(
          String.format(
              Locale.ROOT,
              "%s = %s: %d of the %d labels read (records %d..%d) are outside [0, %d) (%s): %s%s",
              key,
              labels.path(),
              bad,
              end - start,
              start,
              end - 1,
              classes,
              expected.classesName(),
              String.join(", ", shown),
              distinct > shown.size() ? ", ..." : ""));
    }

    private static void readFully(InputStream in, byte[] buf, int want, IdxHeader file, long record)
        throws IOException {
      int got = 0;
      while (got < want) {
        int n = in.read(buf, got, want - got);
        if (n < 0) {
          throw new DataException(
              String.format(
                  Locale.ROOT,
                  "%s: unexpected end of file at record %d (byte offset %d); was it modified?",
                  file.path(),
                  record + got,
                  file.offsetOf(record + got)),
              new EOFException());
        }
        got += n;
      }
    }
  }
}
