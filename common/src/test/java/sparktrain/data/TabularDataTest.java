package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.cells;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.withCell;
import static sparktrain.testing.TestDatasets.withShortRow;
import static sparktrain.testing.TestDatasets.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.config.DataConfig;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestJobs;

/** CSV input on the real breast-cancer data and malformed copies of it, in {@code local[2]}. */
class TabularDataTest extends LocalSparkTestBase {
  static final String BINARY =
      "model.layers=[{type=output, units=1, activation=sigmoid, loss=xent}]";

  @TempDir Path tmp;

  /**
   * A binary ({@link #BINARY}, 2 classes) job reading {@code path} as {@code format}, then extra.
   */
  static DataConfig config(String format, Path path, String... extra) {
    List<String> sets = new ArrayList<>();
    sets.add("data.format=" + format);
    sets.add("data.path=\"" + path + "\"");
    sets.add("data.num-classes=2");
    sets.add(BINARY);
    sets.addAll(List.of(extra));
    return ConfigLoader.load(null, sets).data();
  }

  /** A binary csv job on {@code file} with label "benign", then {@code extra} --set values. */
  static DataConfig csv(Path file, String... extra) {
    List<String> sets = new ArrayList<>(List.of("data.label=benign", "model.input.size=30"));
    sets.addAll(List.of(extra));
    return config("csv", file, sets.toArray(String[]::new));
  }

  /** An example as comparable text: features and label. */
  static String key(Example e) {
    return Arrays.toString(e.features()) + " -> " + e.label();
  }

  /** The rows of a breast-cancer-like file as {@link #key} texts (label = last cell). */
  static List<String> expectedKeys(List<String> lines) {
    List<String> keys = new ArrayList<>();
    for (int line = 2; line <= lines.size(); line++) {
      String[] c = cells(lines, line);
      float[] f = new float[c.length - 1];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) Double.parseDouble(c[j]);
      }
      keys.add(Arrays.toString(f) + " -> " + Double.parseDouble(c[c.length - 1]));
    }
    return keys;
  }

  /**
   * {@link #expectedKeys} with the 0/1 labels swapped: the rows as read with the label column
   * "diagnosis" (names indexed in sorted order: benign 0, malignant 1; the file has benign = 1).
   */
  static List<String> flippedKeys(List<String> lines) {
    return expectedKeys(lines).stream()
        .map(
            k ->
                k.endsWith("-> 1.0")
                    ? k.replace("-> 1.0", "-> 0.0")
                    : k.replace("-> 0.0", "-> 1.0"))
        .toList();
  }

  static List<String> keys(TrainingData d) {
    List<String> keys = new ArrayList<>();
    d.train().collect().forEach(e -> keys.add(key(e)));
    d.validation().ifPresent(v -> v.collect().forEach(e -> keys.add(key(e))));
    d.test().collect().forEach(e -> keys.add(key(e)));
    return keys;
  }

  /**
   * The breast cancer data as a directory of three CSV files of 190 rows (the last 188), each with
   * the header; {@code second} changes the second file's lines.
   */
  Path threeParts(String name, UnaryOperator<List<String>> second) throws IOException {
    List<String> bc = lines(breastCancer());
    Path dir = java.nio.file.Files.createDirectory(tmp.resolve(name));
    for (int part = 0; part < 3; part++) {
      List<String> lines = new ArrayList<>(List.of(bc.get(0)));
      lines.addAll(bc.subList(1 + part * 190, Math.min(bc.size(), 1 + (part + 1) * 190)));
      write(dir, "part-" + part + ".csv", part == 1 ? second.apply(lines) : lines);
    }
    return dir;
  }

  DataException fails(DataConfig config) {
    return assertThrows(DataException.class, () -> DataSources.read(sc, config, 2));
  }

  @Test
  void readsEveryRowOnceWithAllButTheLabelAsFeaturesInASeededSplit() {
    TrainingData d = DataSources.read(sc, csv(breastCancer()), 2);

    List<Example> test = d.test().collect();
    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(lines(breastCancer())));
    assertThat(test.size()).isBetween(85, 145); // 20 % of 569 = 114
    assertThat(d.featureNames())
        .hasSize(30)
        .startsWith("mean_radius", "mean_texture")
        .doesNotContain("benign");
    assertThat(d.numFeatures()).isEqualTo(30);
    assertThat(d.train().getNumPartitions()).isEqualTo(2);
    assertThat(d.validation()).isEmpty();
    assertThat(d.labelIndex()).isEmpty();
    assertThat(d.skippedRows()).isEmpty();
    assertThat(d.inputs()).singleElement().asString().endsWith("/datasets/breast-cancer.csv");

    TrainingData again = DataSources.read(sc, csv(breastCancer()), 2);
    assertThat(again.test().collect()).isEqualTo(test);
    TrainingData otherSeed = DataSources.read(sc, csv(breastCancer(), "training.seed=7"), 2);
    assertThat(otherSeed.test().collect()).isNotEqualTo(test);
  }

  @Test
  void aSpooledTrainingSplitKeepsTheSourcesPartitionsAndItsOrder() throws Exception {
    Path dir = threeParts("three", UnaryOperator.identity());

    TrainingData cut = DataSources.read(sc, csv(dir), 2);
    TrainingData kept = DataSources.read(sc, csv(dir), 2, true);

    // not spooled: the workers' 2 contiguous ranges; spooled: the source's (a file each at least)
    assertThat(cut.train().getNumPartitions()).isEqualTo(2);
    assertThat(kept.train().getNumPartitions()).isGreaterThanOrEqualTo(3);
    // the same examples in the same order, and the same test split
    assertThat(keys(kept)).isEqualTo(keys(cut));
    assertThat(kept.test().collect()).isEqualTo(cut.test().collect());
  }

  @Test
  void validationAndTestFractionsGiveThreeDisjointSplits() {
    TrainingData d =
        DataSources.read(
            sc, csv(breastCancer(), "data.split.validation=0.25", "data.split.test=0.25"), 2);

    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(lines(breastCancer())));
    assertThat(d.validation()).isPresent();
    assertThat(d.validation().get().count()).isBetween(110L, 175L);
    assertThat(d.test().count()).isBetween(110L, 175L);
    assertThat(d.train().count()).isBetween(230L, 340L);
  }

  @Test
  void separatePathsPerSplitAreReadAsGiven() {
    List<String> all = lines(breastCancer());
    Path train = write(tmp, "train.csv", all.subList(0, 400));
    List<String> testLines = new ArrayList<>(List.of(all.get(0)));
    testLines.addAll(all.subList(400, 500));
    Path test = write(tmp, "test.csv", testLines);
    List<String> validationLines = new ArrayList<>(List.of(all.get(0)));
    validationLines.addAll(all.subList(500, all.size()));
    Path validation = write(tmp, "validation.csv", validationLines);

    TrainingData d =
        DataSources.read(
            sc,
            csv(
                breastCancer(),
                "data.path=\"\"",
                "data.train.path=\"" + train + "\"",
                "data.validation.path=\"" + validation + "\"",
                "data.test.path=\"" + test + "\""),
            2);

    assertThat(d.train().collect())
        .extracting(TabularDataTest::key)
        .containsExactlyInAnyOrderElementsOf(expectedKeys(all.subList(0, 400)));
    assertThat(d.test().collect())
        .extracting(TabularDataTest::key)
        .containsExactlyElementsOf(expectedKeys(testLines));
    assertThat(d.validation().orElseThrow().count()).isEqualTo(70);
    assertThat(d.inputs()).hasSize(3);
  }

  @Test
  void lineNumbersArePhysicalLinesEvenWhenAFileIsReadAsManySplits() {
    Path file = write(tmp, "bc.csv", withCell(lines(breastCancer()), 517, "mean_area", "12a"));
    assertThat(TextLines.scan(sc, file.toString(), 8).rdd.getNumPartitions()).isGreaterThan(4);

    DataException e = assertThrows(DataException.class, () -> DataSources.read(sc, csv(file), 8));

    assertThat(e.getMessage())
        .contains(file + " line 517, column 'mean_area' (index 3): expected a number, got '12a'")
        .contains("non-numeric (1 row)");
  }

  @Test
  void aDirectoryOfFilesIsOneInputWithLinesCountedPerFile() throws Exception {
    List<String> bc = lines(breastCancer());
    Path dir = threeParts("parts", lines -> withCell(lines, 10, "se_area", "?"));
    write(dir, "_SUCCESS", List.of());

    DataException e = assertThrows(DataException.class, () -> DataSources.read(sc, csv(dir), 2));
    TrainingData skipped = DataSources.read(sc, csv(dir, "data.bad-rows=skip"), 2);

    assertThat(e.getMessage())
        .contains(dir.resolve("part-1.csv") + " line 10, column 'se_area' (index 13)");
    assertThat(skipped.skippedRows()).isEqualTo(Map.of("non-numeric", 1L));
    assertThat(skipped.inputs()).hasSize(3);
    assertThat(keys(skipped)).hasSize(568);

    write(dir, "part-3.csv", List.of(bc.get(0).replace("benign", "label"), bc.get(1)));
    assertThat(fails(csv(dir)).getMessage())
        .startsWith("file:" + dir.resolve("part-3.csv") + " line 1: expected the same header as");
  }

  @Test
  void idxKeepsItsKeysAndCanHoldOutAValidationFraction() {
    DataConfig idx =
        ConfigLoader.load(
                null, TestJobs.mnistSlice(null, "data.split.validation=0.2", "data.test-limit=100"))
            .data();

    TrainingData d = DataSources.read(sc, idx, 2);

    long train = d.train().count();
    long validation = d.validation().orElseThrow().count();
    assertThat(train + validation).isEqualTo(2500);
    assertThat(validation).isBetween(400L, 600L);
    assertThat(d.test().count()).isEqualTo(100);
    assertThat(d.featureNames()).isEmpty();
    assertThat(d.inputs()).hasSize(4);
  }

  @Test
  void eachKindOfBadRowFailsNamingFileLineColumnAndExpectation() {
    List<String> bc = lines(breastCancer());
    assertThat(badFile("a.csv", withCell(bc, 5, "mean_texture", "abc")))
        .contains("1 bad row in the input (data.bad-rows = fail")
        .contains(
            "non-numeric (1 row), first at file:"
                + tmp.resolve("a.csv")
                + " line 5, column 'mean_texture' (index 1): expected a number, got 'abc'");
    assertThat(badFile("b.csv", withCell(bc, 10, "worst_area", "NaN")))
        .contains(
            "not-finite (1 row), first at file:"
                + tmp.resolve("b.csv")
                + " line 10, column 'worst_area' (index 23): expected a finite number, got 'NaN'");
    assertThat(badFile("c.csv", withShortRow(bc, 20)))
        .contains(
            "wrong-column-count (1 row), first at file:"
                + tmp.resolve("c.csv")
                + " line 20, expected 31 cells (as in the header), got 30");
    assertThat(badFile("d.csv", withCell(bc, 30, "benign", "7")))
        .contains(
            "label-out-of-range (1 row), first at file:"
                + tmp.resolve("d.csv")
                + " line 30, label column 'benign' (index 30): expected a class index in [0, 2)"
                + " (0 or 1 for a binary output), got '7'");
    assertThat(badFile("e.csv", withCell(bc, 40, "mean_radius", "")))
        .contains(
            "missing-value (1 row), first at file:"
                + tmp.resolve("e.csv")
                + " line 40, column 'mean_radius' (index 0): expected a number, got an empty cell");
  }

  private String badFile(String name, List<String> lines) {
    return fails(csv(write(tmp, name, lines))).getMessage();
  }

  @Test
  void severalBadRowsAreCountedByKindAndTheFirstOfEachIsNamed() {
    List<String> bc = lines(breastCancer());
    bc = withCell(bc, 300, "mean_texture", "x");
    bc = withCell(bc, 200, "mean_texture", "y");
    bc = withCell(bc, 100, "benign", "2");
    Path file = write(tmp, "bc.csv", bc);

    String message = fails(csv(file)).getMessage();

    assertThat(message)
        .startsWith("3 bad rows in the input")
        .contains("non-numeric (2 rows), first at file:" + file + " line 200,")
        .contains("label-out-of-range (1 row), first at file:" + file + " line 100,");
  }

  @Test
  void skipTrainsOnTheGoodRowsAndCountsTheSkippedOnesByKind() {
    List<String> bc = lines(breastCancer());
    bc = withCell(bc, 5, "mean_texture", "abc");
    bc = withCell(bc, 10, "worst_area", "NaN");
    bc = withShortRow(bc, 20);
    bc = withCell(bc, 30, "benign", "7");
    bc = withCell(bc, 40, "mean_radius", "");
    bc = withCell(bc, 50, "mean_radius", "1e999");
    Path file = write(tmp, "bc.csv", bc);

    TrainingData d = DataSources.read(sc, csv(file, "data.bad-rows=skip"), 2);

    assertThat(d.skippedRows())
        .isEqualTo(
            Map.of(
                "non-numeric", 1L,
                "not-finite", 2L,
                "wrong-column-count", 1L,
                "label-out-of-range", 1L,
                "missing-value", 1L));
    assertThat(d.skippedTotal()).isEqualTo(6);
    List<String> good = new ArrayList<>(lines(breastCancer()));
    for (int line : new int[] {50, 40, 30, 20, 10, 5}) {
      good.remove(line - 1);
    }
    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(good));
  }

  @Test
  void aMissingLabelColumnListsTheHeadersColumns() {
    String message = fails(csv(breastCancer(), "data.label=diagnosis")).getMessage();

    assertThat(message)
        .startsWith("data.label: no column 'diagnosis' in the header of ")
        .contains("breast-cancer.csv (line 1); its columns are: mean_radius, mean_texture,")
        .endsWith("worst_fractal_dimension, benign");
    assertThat(fails(csv(breastCancer(), "data.features=[mean_radius, radius]")).getMessage())
        .startsWith("data.features[1]: no column 'radius' in the header of ");
    assertThat(fails(csv(breastCancer(), "data.label=31")).getMessage())
        .startsWith("data.label = 31: no such column index; the header of ")
        .endsWith("has 31 columns (0-based indexes 0..30)");
  }

  @Test
  void anEmptyInputIsAnErrorUnderEitherPolicy() {
    Path empty = write(tmp, "empty.csv", List.of());
    Path headerOnly = write(tmp, "header.csv", lines(breastCancer()).subList(0, 1));

    for (String policy : List.of("fail", "skip")) {
      assertThat(fails(csv(empty, "data.bad-rows=" + policy)).getMessage())
          .isEqualTo(
              "file:"
                  + empty
                  + ": empty input, no header line (data.csv.header = true) and no rows");
      assertThat(fails(csv(headerOnly, "data.bad-rows=" + policy)).getMessage())
          .isEqualTo("data.path = " + headerOnly + ": empty input, no data rows");
    }
    assertThat(fails(csv(tmp.resolve("missing.csv"))).getMessage())
        .startsWith("file:" + tmp.resolve("missing.csv") + ": no such file or directory");
  }

  @Test
  void noUsableRowIsAnErrorEvenWhenSkipping() {
    List<String> bc = new ArrayList<>(lines(breastCancer()).subList(0, 4));
    for (int line = 2; line <= 4; line++) {
      bc = withCell(bc, line, "benign", "5");
    }
    Path file = write(tmp, "bad.csv", bc);

    assertThat(fails(csv(file, "data.bad-rows=skip")).getMessage())
        .startsWith(
            "data.path = " + file + ": no usable rows, all 3 are bad {label-out-of-range=3}")
        .contains(file + " line 2, label column 'benign' (index 30)");
  }

  @Test
  void aTrainingSplitWithASingleClassIsAnError() {
    List<String> bc = lines(breastCancer());
    List<String> benign = new ArrayList<>(List.of(bc.get(0)));
    bc.stream().skip(1).filter(l -> l.endsWith(",1")).forEach(benign::add);
    Path file = write(tmp, "benign.csv", benign);

    assertThat(fails(csv(file)).getMessage())
        .contains("has a single class (label 1.0, ")
        .contains("a classifier needs at least two (label column 'benign' (index 30))");
  }

  @Test
  void classNamesAreMappedBySortedDistinctValues() {
    List<String> bc = lines(breastCancer());
    List<String> named = new ArrayList<>();
    named.add(bc.get(0).replace(",benign", ",diagnosis"));
    for (String line : bc.subList(1, bc.size())) {
      named.add(
          line.substring(0, line.lastIndexOf(',') + 1)
              + (line.endsWith(",1") ? "benign" : "malignant"));
    }
    Path file = write(tmp, "named.csv", named);

    TrainingData d = DataSources.read(sc, csv(file, "data.label=diagnosis"), 2);

    assertThat(d.labelIndex()).isPresent();
    assertThat(d.labelIndex().get().classes()).containsExactly("benign", "malignant");
    assertThat(d.labelIndex().get().column()).isEqualTo("diagnosis");
    // benign is now class 0, malignant class 1: the file's 0/1 labels flipped
    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(flippedKeys(bc));

    assertThat(fails(csv(file, "data.label=diagnosis", "data.label-encoding=index")).getMessage())
        .contains("no usable rows, all 569 are bad {non-numeric=569}")
        .endsWith(
            file
                + " line 2, label column 'diagnosis' (index 30): expected a number, got"
                + " 'malignant'");
    Path three = write(tmp, "three.csv", withCell(named, 9, "diagnosis", "unsure"));
    assertThat(fails(csv(three, "data.label=diagnosis")).getMessage())
        .isEqualTo(
            "label column 'diagnosis' (index 30): more than 2 distinct class names (a binary"
                + " output has 2 classes), e.g. benign, malignant, unsure; is data.label the right"
                + " column?");
  }

  @Test
  void oneHotLabelColumnsGiveTheClassIndex() {
    List<String> bc = lines(breastCancer());
    List<String> hot = new ArrayList<>();
    hot.add(bc.get(0).replace(",benign", ",is_malignant,is_benign"));
    for (String line : bc.subList(1, bc.size())) {
      hot.add(line.substring(0, line.lastIndexOf(',') + 1) + (line.endsWith(",1") ? "0,1" : "1,0"));
    }
    hot.set(6, hot.get(6).substring(0, hot.get(6).length() - 3) + "1,1");
    Path file = write(tmp, "hot.csv", hot);

    TrainingData d =
        DataSources.read(
            sc,
            csv(
                file,
                "data.label=\"\"",
                "data.one-hot-label=[is_malignant, is_benign]",
                "model.layers=[{type=output, units=2, activation=softmax, loss=mcxent}]",
                "data.bad-rows=skip"),
            2);

    assertThat(d.featureNames()).hasSize(30).doesNotContain("is_malignant", "is_benign");
    assertThat(d.skippedRows()).isEqualTo(Map.of("bad-one-hot", 1L));
    List<String> good = new ArrayList<>(bc);
    good.remove(6);
    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(good));
  }

  @Test
  void withoutAHeaderColumnsAreChosenByIndex() {
    List<String> bc = lines(breastCancer());
    Path file =
        write(tmp, "noheader.csv", withCell(bc, 3, "mean_texture", "?").subList(1, bc.size()));

    TrainingData d =
        DataSources.read(
            sc,
            csv(
                file,
                "data.csv.header=false",
                "data.label=30",
                "data.features=[0, 2]",
                "data.bad-rows=skip"),
            2);

    assertThat(d.featureNames()).containsExactly("_c0", "_c2");
    assertThat(d.skippedRows()).isEmpty(); // column 1 holds the '?', and it is not a feature
    assertThat(keys(d)).hasSize(569).contains("[17.99, 122.8] -> 0.0");
    assertThat(fails(csv(file, "data.csv.header=false", "data.label=30")).getMessage())
        .contains(file + " line 2, column '_c1' (index 1): expected a number, got '?'");
  }

  @Test
  void excludedColumnsAreNotFeaturesAndQuotedCellsAreRead() {
    List<String> bc = lines(breastCancer());
    List<String> quoted = new ArrayList<>();
    quoted.add("id;" + bc.get(0).replace(',', ';'));
    for (int i = 1; i < bc.size(); i++) {
      quoted.add("\"row;" + i + "\";" + bc.get(i).replace(',', ';'));
    }
    Path file = write(tmp, "quoted.csv", quoted);

    TrainingData d =
        DataSources.read(sc, csv(file, "data.csv.delimiter=\";\"", "data.exclude=[id]"), 2);

    assertThat(d.featureNames()).hasSize(30).doesNotContain("id");
    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(bc));
  }
}
