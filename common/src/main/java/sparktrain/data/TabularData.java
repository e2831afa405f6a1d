package sparktrain.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.BadRowPolicy;
import sparktrain.config.DataConfig;
import sparktrain.config.LabelEncoding;
import sparktrain.config.Task;

/**
 * Reads CSV, Parquet and LibSVM inputs: parse on the executors, count bad rows and class names in
 * one distributed pass per input, fail or skip by {@code data.bad-rows}, map class names to
 * indexes, then split the main input at random (seeded) into training, validation and test.
 */
final class TabularData {
  private static final Logger LOG = LoggerFactory.getLogger(TabularData.class);
  private static final int KINDS = BadRowKind.values().length;

  private TabularData() {}

  /** One configured input and its statistics. */
  private record Input(String key, SourceRows rows, RowStats stats) {}

  /**
   * @param partitions the training split's partitions, unless {@code keepPartitions}
   * @param keepPartitions keep the source's partitions for the training split (it is spooled)
   */
  static TrainingData read(
      JavaSparkContext sc, DataConfig data, int partitions, boolean keepPartitions) {
    boolean ownValidation = data.validation().hasPath();
    boolean ownTest = data.test().hasPath();
    List<String> keys = new ArrayList<>();
    List<SourceRows> sources = new ArrayList<>();
    keys.add(data.path().isBlank() ? "data.train.path" : "data.path");
    sources.add(source(sc, data.mainPath(), data, partitions));
    if (ownValidation) {
      keys.add("data.validation.path");
      sources.add(source(sc, data.validation().path(), data, partitions));
    }
    if (ownTest) {
      keys.add("data.test.path");
      sources.add(source(sc, data.test().path(), data, partitions));
    }
    // The main input is parsed once: its rows are kept on disk, serialized, by the pass that counts
    // them, and every later pass (the splits, the statistics, the spool, the test scoring) reads
    // them from there instead of parsing the source again. Disk only: the memory used does not
    // grow with the data (a memory-and-disk level unrolls each partition on the heap first: with
    // 4M rows of 30 features and a 512 MiB heap that ran out of memory).
    SourceRows parsed = sources.get(0);
    sources.set(
        0,
        new SourceRows(
            parsed.path(),
            parsed
                .rows()
                .setName("parsed rows of " + parsed.path())
                .persist(StorageLevel.DISK_ONLY()),
            parsed.featureNames(),
            parsed.labelName(),
            parsed.labelDescription(),
            parsed.files()));
    SourceRows main = sources.get(0);
    for (int i = 1; i < sources.size(); i++) {
      if (!sources.get(i).featureNames().equals(main.featureNames())) {
        throw new DataException(
            keys.get(i)
                + " ("
                + sources.get(i).path()
                + "): expected the feature columns of "
                + keys.get(0)
                + " ("
                + ColumnSelection.list(main.featureNames())
                + "), got "
                + ColumnSelection.list(sources.get(i).featureNames()));
      }
    }

    boolean namesPossible =
        data.task() != Task.REGRESSION
            && data.columns().oneHotLabel().isEmpty()
            && data.columns().labelEncoding() != LabelEncoding.INDEX;
    LabelRules rules = new LabelRules(data.task(), data.classCount(), main.labelDescription());
    // One name more than the classes: enough to tell "too many" and to show an offending name.
    int nameCap = namesPossible ? data.classCount() + 1 : 0;
    List<Input> inputs = new ArrayList<>();
    long textLabels = 0;
    for (int i = 0; i < sources.size(); i++) {
      RowStats stats =
          sources
              .get(i)
              .rows()
              .treeAggregate(new RowStats(rules, nameCap), RowStats::add, RowStats::merge, 2);
      inputs.add(new Input(keys.get(i), sources.get(i), stats));
      textLabels += stats.textLabels;
    }
    boolean names =
        namesPossible && (data.columns().labelEncoding() == LabelEncoding.NAMES || textLabels > 0);

    for (Input in : inputs) {
      if (in.stats().rows == 0) {
        throw new DataException(
            in.key() + " = " + in.rows().path() + ": empty input, no data rows" + filesNote(in));
      }
    }
    Map<String, Long> skipped = badRows(inputs, names, data);
    LabelIndex index = names ? labelIndex(inputs, main, data) : null;
    if (index != null) {
      LOG.info(
          "Label {}: class names {} (indexes 0..{})",
          main.labelName(),
          index.classes(),
          index.size() - 1);
    }

    ToExamples convert = new ToExamples(rules, index);
    JavaRDD<Example> all = main.rows().mapPartitions(convert).setName("examples of " + main.path());
    boolean validationFromSplit = !ownValidation && data.split().validation() > 0;
    boolean testFromSplit = !ownTest;
    List<Double> weights = new ArrayList<>();
    weights.add(
        1
            - (validationFromSplit ? data.split().validation() : 0)
            - (testFromSplit ? data.split().test() : 0));
    if (validationFromSplit) {
      weights.add(data.split().validation());
    }
    if (testFromSplit) {
      weights.add(data.split().test());
    }
    List<JavaRDD<Example>> parts =
        weights.size() == 1
            ? List.of(all)
            : Arrays.asList(
                all.randomSplit(
                    weights.stream().mapToDouble(Double::doubleValue).toArray(), data.seed()));
    int next = 0;
    JavaRDD<Example> train = parts.get(next++).setName("training split of " + main.path());
    Optional<JavaRDD<Example>> validation = Optional.empty();
    if (validationFromSplit) {
      validation = Optional.of(parts.get(next++).setName("validation split of " + main.path()));
    } else if (ownValidation) {
      validation = Optional.of(examples(inputs.get(1), convert));
    }
    JavaRDD<Example> test =
        testFromSplit
            ? parts.get(next).setName("test split of " + main.path())
            : examples(inputs.get(inputs.size() - 1), convert);

    train = Partitions.range(train, data.trainOffset(), data.trainLimit());
    if (!keepPartitions) {
      train = Partitions.ordered(train, partitions);
    }
    test = Partitions.first(test, data.testLimit());
    checkSplits(train, test, data, main);

    List<String> files = new ArrayList<>();
    sources.forEach(s -> files.addAll(s.files()));
    return new TrainingData(
        train, test, files, validation, main.featureNames(), Optional.ofNullable(index), skipped);
  }

  private static SourceRows source(
      JavaSparkContext sc, String path, DataConfig data, int partitions) {
    return switch (data.format()) {
      case CSV -> CsvSource.read(sc, path, data, partitions);
      case LIBSVM -> LibSvmSource.read(sc, path, data, partitions);
      case PARQUET -> ParquetSource.read(sc, path, data);
      case IDX -> throw new IllegalArgumentException("IDX is not a tabular format");
    };
  }

  private static JavaRDD<Example> examples(Input in, ToExamples convert) {
    return in.rows().rows().mapPartitions(convert).setName("examples of " + in.rows().path());
  }

  private static String filesNote(Input in) {
    List<String> files = in.rows().files();
    return files.size() == 1 ? "" : " (" + files.size() + " files)";
  }

  /**
   * Counts the bad rows of every input by kind; fails listing the first of each kind under {@code
   * fail}, or when no usable row is left; returns the skipped counts.
   */
  private static Map<String, Long> badRows(List<Input> inputs, boolean names, DataConfig data) {
    long[] total = new long[KINDS];
    RowProblem[] first = new RowProblem[KINDS];
    List<String> perInput = new ArrayList<>();
    for (Input in : inputs) {
      RowStats s = in.stats();
      long[] labelCounts = names ? s.nameLabelCounts : s.indexLabelCounts;
      RowProblem[] labelFirst = names ? s.nameLabelFirst : s.indexLabelFirst;
      long bad = 0;
      Map<String, Long> counts = new LinkedHashMap<>();
      for (int k = 0; k < KINDS; k++) {
        long n = s.cellCounts[k] + labelCounts[k];
        if (n > 0) {
          counts.put(BadRowKind.values()[k].key(), n);
        }
        bad += n;
        total[k] += n;
        first[k] = earliest(earliest(first[k], s.cellFirst[k]), labelFirst[k]);
      }
      if (bad == s.rows) {
        throw new DataException(
            in.key()
                + " = "
                + in.rows().path()
                + ": no usable rows, all "
                + s.rows
                + " are bad "
                + counts
                + "; first: "
                + firstProblem(s, labelFirst));
      }
      if (bad > 0) {
        perInput.add(in.key() + " = " + in.rows().path() + ": " + bad + " of " + s.rows + " rows");
      }
    }
    long all = 0;
    for (long n : total) {
      all += n;
    }
    if (all == 0) {
      return Map.of();
    }
    StringBuilder lines = new StringBuilder();
    Map<String, Long> skipped = new TreeMap<>();
    for (int k = 0; k < KINDS; k++) {
      if (total[k] > 0) {
        BadRowKind kind = BadRowKind.values()[k];
        skipped.put(kind.key(), total[k]);
        lines
            .append("\n  ")
            .append(kind.key())
            .append(" (")
            .append(total[k])
            .append(total[k] == 1 ? " row" : " rows")
            .append("), first at ")
            .append(first[k].message());
      }
    }
    if (data.badRows() == BadRowPolicy.FAIL) {
      throw new DataException(
          all
              + (all == 1 ? " bad row" : " bad rows")
              + " in the input (data.bad-rows = fail; set data.bad-rows = skip to train on the"
              + " good rows):"
              + lines);
    }
    LOG.warn("Skipped {} bad rows ({}):{}", all, String.join("; ", perInput), lines);
    return skipped;
  }

  private static String firstProblem(RowStats s, RowProblem[] labelFirst) {
    RowProblem first = null;
    for (int k = 0; k < KINDS; k++) {
      first = earliest(earliest(first, s.cellFirst[k]), labelFirst[k]);
    }
    return first == null ? "-" : first.message();
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

  /** The class names of all inputs, sorted; more than the classes the model has is an error. */
  private static LabelIndex labelIndex(List<Input> inputs, SourceRows main, DataConfig data) {
    TreeSet<String> all = new TreeSet<>();
    boolean overflow = false;
    for (Input in : inputs) {
      all.addAll(in.stats().names);
      overflow |= in.stats().namesOverflow;
    }
    int classes = data.classCount();
    if (overflow || all.size() > classes) {
      throw new DataException(
          main.labelDescription()
              + ": more than "
              + classes
              + " distinct class names ("
              + (data.task() == Task.BINARY
                  ? "a binary output has 2 classes"
                  : "data.num-classes = " + classes)
              + "), e.g. "
              + String.join(", ", all.stream().limit(classes + 1L).toList())
              + "; is data.label the right column?");
    }
    return LabelIndex.of(main.labelName(), all);
  }

  /** Training must have rows (and two classes for a classifier), test must have rows. */
  private static void checkSplits(
      JavaRDD<Example> train, JavaRDD<Example> test, DataConfig data, SourceRows main) {
    if (data.task() == Task.REGRESSION) {
      if (train.isEmpty()) {
        throw new DataException(
            "the training split of " + main.path() + " is empty" + offsetNote(data));
      }
    } else {
      Map<Double, Long> classes = new TreeMap<>(train.map(Example::label).countByValue());
      if (classes.isEmpty()) {
        throw new DataException(
            "the training split of " + main.path() + " is empty" + offsetNote(data));
      }
      if (classes.size() < 2) {
        Map.Entry<Double, Long> only = classes.entrySet().iterator().next();
        throw new DataException(
            "the training split of "
                + main.path()
                + " has a single class (label "
                + only.getKey()
                + ", "
                + only.getValue()
                + " rows): a classifier needs at least two ("
                + main.labelDescription()
                + ")");
      }
      LOG.info("Training split: rows per class {}", classes);
    }
    if (test.isEmpty()) {
      throw new DataException(
          "the test split is empty"
              + (data.test().hasPath()
                  ? " (data.test.path = " + data.test().path() + ")"
                  : " (data.split.test = " + data.split().test() + " of " + main.path() + ")"));
    }
  }

  private static String offsetNote(DataConfig data) {
    return data.trainOffset() > 0
        ? " (data.train-offset = " + data.trainOffset() + " skips all of its rows)"
        : "";
  }
}
