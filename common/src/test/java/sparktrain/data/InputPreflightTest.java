package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.withCell;
import static sparktrain.testing.TestDatasets.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.testing.TestDatasets;

/**
 * {@link InputPreflight} on the real MNIST slices and breast-cancer CSV and broken copies of them:
 * every problem the executors would meet is reported on the driver, all at once, naming the key,
 * the file and what was expected; good inputs pass in well under a second. No Spark is needed.
 */
class InputPreflightTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  /** The MNIST slices as a 784-in, 10-class job, then {@code more} --set values. */
  private static JobConfig mnist(String... more) {
    List<String> sets = new ArrayList<>();
    sets.add("data.train.images=\"" + MnistSlices.path(MnistSlices.TRAIN_IMAGES) + "\"");
    sets.add("data.train.labels=\"" + MnistSlices.path(MnistSlices.TRAIN_LABELS) + "\"");
    sets.add("data.test.images=\"" + MnistSlices.path(MnistSlices.TEST_IMAGES) + "\"");
    sets.add("data.test.labels=\"" + MnistSlices.path(MnistSlices.TEST_LABELS) + "\"");
    sets.addAll(List.of(more));
    return ConfigLoader.load(null, sets);
  }

  /** The binary breast-cancer job on {@code file} (30 features, label benign). */
  private static JobConfig breast(Path file, String... more) {
    return TestDatasets.breastCancerJob("csv", file, more);
  }

  private static void check(JobConfig config) {
    InputPreflight.check(
        config.data(), InputPreflight.Expectation.of(config), InputPreflight.Usage.TRAIN, CONF);
  }

  private static String error(JobConfig config) {
    return assertThrows(DataException.class, () -> check(config)).getMessage();
  }

  /** A copy of the training labels with {@code value} at each of {@code records}. */
  private Path labelsWith(int value, int... records) throws Exception {
    byte[] b = MnistSlices.bytes(MnistSlices.TRAIN_LABELS);
    for (int r : records) {
      b[MnistSlices.LABEL_HEADER + r] = (byte) value;
    }
    return MnistSlices.write(tmp, "labels-" + value, b);
  }

  @Test
  void goodMnistAndCsvPassQuickly() {
    long t0 = System.nanoTime();
    check(mnist());
    check(breast(breastCancer()));
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
  }

  @Test
  void idxLabelsOutsideTheClassesAreNamedWithValuesCountsAndFirstRecords() throws Exception {
    Path labels = labelsWith(12, 5, 7);
    Path more = MnistSlices.write(tmp, "labels-both", Files.readAllBytes(labels));
    byte[] b = Files.readAllBytes(more);
    b[MnistSlices.LABEL_HEADER + 100] = (byte) 200;
    Files.write(more, b);

    String message = error(mnist("data.train.labels=\"" + more + "\""));

    assertThat(message)
        .startsWith("data.train.labels = " + more.toUri().toString().replace("file:///", "file:/"))
        .contains("3 of the 2500 labels read (records 0..2499) are outside [0, 10)")
        .contains("data.num-classes = 10")
        .contains("12 (2 records, first record 5)")
        .contains("200 (1 record, first record 100)");
  }

  @Test
  void idxLabelsAreCheckedOnlyInTheRecordsTheJobReads() throws Exception {
    Path labels = labelsWith(11, 2400);

    check(mnist("data.train.labels=\"" + labels + "\"", "data.train-limit=2000"));
    String message =
        error(
            mnist(
                "data.train.labels=\"" + labels + "\"",
                "data.train-offset=2000",
                "data.train-limit=450"));
    assertThat(message).contains("of the 450 labels read (records 2000..2449)");
  }

  @Test
  void idxBinaryOutputTakesOnlyZeroAndOne() {
    String message =
        error(
            mnist(
                "data.num-classes=2",
                "model.layers=[{type=output, units=1, activation=sigmoid, loss=xent}]"));
    assertThat(message)
        .contains("outside [0, 2) (a binary output: 0 or 1)")
        .contains("data.train.labels")
        .contains("data.test.labels");
  }

  @Test
  void idxImagesOfAnotherSizeThanModelInputSayWhatToSet() {
    String message = error(mnist("model.input.size=100"));

    assertThat(message)
        .startsWith("2 problems with the input data:")
        .contains("data.train.images = file:")
        .contains("its images are 28 x 28 pixels (784 values, 1 channel)")
        .contains("but model.input.size is 100; set model.input.size = 784")
        .contains("data.test.images = file:");
  }

  @Test
  void idxImagesOfAnotherShapeThanAnImageInput() {
    String message =
        error(
            mnist(
                "model.input={type=image, height=32, width=32, channels=1}",
                "model.layers=[{type=convolution, filters=4, kernel=5, activation=relu},"
                    + "{type=output, units=10, activation=softmax, loss=sparse-mcxent}]"));

    assertThat(message)
        .contains("but model.input is 32 x 32 x 1 (height x width x channels)")
        .contains("set model.input.height = 28, model.input.width = 28");
  }

  @Test
  void everyIdxProblemIsReportedAtOnce() throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty"));
    Path dir = Files.createDirectory(tmp.resolve("adir"));
    String message =
        error(
            mnist(
                "data.train.labels=\"" + labelsWith(10, 0) + "\"",
                "data.test.images=\"" + empty + "\"",
                "data.test.labels=\"" + dir + "\"",
                "model.input.size=100"));

    assertThat(message.lines())
        .hasSize(5)
        .first()
        .asString()
        .isEqualTo("4 problems with the input data:");
    assertThat(message)
        .contains("data.train.images = file:")
        .contains("data.train.labels = file:")
        .contains("data.test.images: file:" + empty + ": empty file (0 bytes)")
        .contains("data.test.labels: file:" + dir + ": is a directory");
  }

  @Test
  void idxFilesThatCannotBeReadAreNamedByKey() {
    String images = MnistSlices.path(MnistSlices.TRAIN_IMAGES).toString();
    String labels = MnistSlices.path(MnistSlices.TRAIN_LABELS).toString();
    assertThat(error(mnist("data.train.images=\"" + tmp.resolve("nope") + "\"")))
        .startsWith("data.train.images: file:" + tmp.resolve("nope") + ": file not found");
    assertThat(
            error(
                mnist(
                    "data.train.images=\"" + labels + "\"",
                    "data.train.labels=\"" + images + "\"")))
        .startsWith("data.train: ")
        .contains("were images and labels swapped?");
    assertThat(error(mnist("data.test.labels=\"" + labels + "\"")))
        .startsWith("data.test: image/label count mismatch");
    assertThat(error(mnist("data.train-offset=2500")))
        .startsWith("data.train-offset = 2500: data.train.images = file:")
        .contains("has 2500 records, so the offset leaves none");
    assertThat(error(mnist("data.train.images=\"nofs://x/images\"")))
        .startsWith("data.train.images = nofs://x/images: ")
        .contains("nofs");
  }

  @Test
  void scoringChecksOnlyTheScoredSplitAgainstTheModel() throws Exception {
    JobConfig config = mnist("data.train.labels=\"" + labelsWith(42, 3) + "\"");
    InputPreflight.Expectation model =
        InputPreflight.Expectation.ofModel(config.model(), 10, "--model runs/m");

    InputPreflight.check(config.data(), model, InputPreflight.Usage.SCORE_TEST, CONF);
    DataException e =
        assertThrows(
            DataException.class,
            () ->
                InputPreflight.check(config.data(), model, InputPreflight.Usage.SCORE_TRAIN, CONF));
    assertThat(e.getMessage())
        .contains("outside [0, 10) (the model's 10 classes (--model runs/m))");

    InputPreflight.Expectation narrow =
        InputPreflight.Expectation.ofModel(
            breast(breastCancer()).model(), 2, "--model runs/breast");
    e =
        assertThrows(
            DataException.class,
            () ->
                InputPreflight.check(config.data(), narrow, InputPreflight.Usage.SCORE_TEST, CONF));
    assertThat(e.getMessage())
        .startsWith("2 problems")
        .contains("data.test.images = file:")
        .contains("but the input of the model (--model runs/breast) takes 30 values")
        .contains("score it on data of the shape it was trained on")
        .contains("data.test.labels = file:")
        .contains("outside [0, 2)");
  }

  @Test
  void csvBadRowsAmongTheFirstRowsAreAllReportedUnderFail() {
    List<String> csv = lines(breastCancer());
    csv = withCell(csv, 4, "benign", "5");
    csv = withCell(csv, 9, "benign", "7");
    csv = withCell(csv, 6, "mean_radius", "abc");
    Path file = write(tmp, "bad.csv", csv);

    String message = error(breast(file));

    assertThat(message)
        .startsWith("data.path = " + file + ": 3 bad of all 569 rows (data.bad-rows = fail;")
        .contains("non-numeric (1 row), first at file:" + file + " line 6, column 'mean_radius'")
        .contains("label-out-of-range (2 rows), first at file:" + file + " line 4")
        .contains("expected a class index in [0, 2) (0 or 1 for a binary output), got '5'");
    check(breast(file, "data.bad-rows=skip"));
  }

  @Test
  void csvOfAnotherWidthThanModelInput() {
    String message = error(breast(breastCancer(), "model.input.size=20"));
    assertThat(message)
        .startsWith(
            "data.path = " + breastCancer() + ": the data has 30 feature columns (mean_radius,")
        .contains("but model.input.size is 20; set model.input.size = 30, or choose the features");
  }

  @Test
  void csvInputsThatAreNotThere() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("empty-dir"));
    Path empty = Files.createFile(tmp.resolve("empty.csv"));
    Path headerOnly = write(tmp, "header.csv", lines(breastCancer()).subList(0, 1));
    assertThat(error(breast(tmp.resolve("nope.csv"))))
        .contains("nope.csv: no such file or directory");
    assertThat(error(breast(dir))).contains("no input files (an empty directory)");
    assertThat(error(breast(empty)))
        .isEqualTo(
            "data.path = "
                + empty
                + ": empty input, no header line (data.csv.header = true) and no rows");
    assertThat(error(breast(headerOnly)))
        .isEqualTo("data.path = " + headerOnly + ": empty input, no data rows");
    assertThat(error(breast(breastCancer(), "data.label=nope")))
        .contains("data.label: no column 'nope' in the header of file:");
  }

  @Test
  void aTruncatedGzipIsNamedAsSuch() throws Exception {
    Path full = tmp.resolve("full.csv.gz");
    try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(full))) {
      o.write(Files.readAllBytes(breastCancer()));
    }
    byte[] gz = Files.readAllBytes(full);
    Path cut = Files.write(tmp.resolve("cut.csv.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));

    check(breast(full));
    assertThat(error(breast(cut)))
        .startsWith("data.path = " + cut + ": Unexpected end of input stream")
        .contains("a compressed file (.gz, .bz2, ...) that ends too early; is it truncated?");
  }

  @Test
  void aBinaryFileReadAsCsvIsNamedAsSuch() {
    String message = error(breast(MnistSlices.path(MnistSlices.TRAIN_IMAGES)));
    assertThat(message)
        .contains("is not a text file (NUL bytes in its first line)")
        .contains("it starts like an IDX file")
        .contains("data.format = idx");
  }

  @Test
  void csvTestInputWithOtherColumns() {
    List<String> csv = lines(breastCancer());
    List<String> renamed = new ArrayList<>(csv);
    renamed.set(0, csv.get(0).replace("mean_radius", "radius"));
    Path test = write(tmp, "test.csv", renamed);

    String message =
        error(breast(breastCancer(), "data.test.path=\"" + test + "\"", "data.split.test=0"));
    assertThat(message)
        .startsWith("data.test.path = " + test + ": expected the feature columns of data.path");
  }

  @Test
  void csvLabelNamesBeyondTheClasses() {
    List<String> csv = lines(breastCancer());
    for (int line = 2; line <= 4; line++) {
      csv = withCell(csv, line, "benign", List.of("red", "green", "blue").get(line - 2));
    }
    String message = error(breast(write(tmp, "names.csv", csv)));
    assertThat(message)
        .contains("more than 2 distinct class names")
        .contains("is data.label the right column?");
  }

  @Test
  void libsvmWidthAndIndexesOfTheFirstRows() {
    Path file =
        write(
            tmp,
            "x.libsvm",
            List.of("1 1:0.5 3:1.0", "0 2:0.25", "4 1:1.0", "1 9:1.0", "# a comment", "0 3:2"));
    List<String> sets =
        List.of(
            "data.format=libsvm",
            "data.path=\"" + file + "\"",
            "data.libsvm.num-features=3",
            "data.num-classes=2",
            "model.layers=[{type=output, units=1, activation=sigmoid, loss=xent}]");
    List<String> wide = new ArrayList<>(sets);
    wide.add("model.input.size=5");
    String message = error(ConfigLoader.load(null, wide));

    assertThat(message)
        .startsWith("2 problems")
        .contains("the data has 3 features (data.libsvm.num-features), but model.input.size is 5")
        .contains("feature-index-out-of-range (1 row), first at file:" + file + " line 4")
        .contains("label-out-of-range (1 row), first at file:" + file + " line 3");
  }
}
