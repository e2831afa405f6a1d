package sparktrain.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.data.TabularDataTest.config;
import static sparktrain.data.TabularDataTest.expectedKeys;
import static sparktrain.data.TabularDataTest.flippedKeys;
import static sparktrain.data.TabularDataTest.keys;
import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.withCell;
import static sparktrain.testing.TestDatasets.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.testing.LocalSparkTestBase;

/** Parquet and LibSVM inputs, written with Spark from the real breast-cancer CSV. */
class ParquetAndLibSvmTest extends LocalSparkTestBase {
  @TempDir Path tmp;

  private Dataset<Row> csvFrame(Path csv) {
    return spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());
  }

  private Path parquet(Dataset<Row> df, String name) {
    Path dir = tmp.resolve(name);
    df.coalesce(1).write().parquet(dir.toString());
    return dir;
  }

  @Test
  void parquetGivesTheSameExamplesAsTheCsv() {
    Path dir = parquet(csvFrame(breastCancer()), "bc.parquet");

    TrainingData d = DataSources.read(sc, config("parquet", dir, "data.label=benign"), 2);

    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(lines(breastCancer())));
    assertThat(d.featureNames()).hasSize(30).startsWith("mean_radius");
    assertThat(d.inputs()).singleElement().asString().endsWith(".parquet");
  }

  @Test
  void parquetNullsAreBadRowsNamedByFileAndRow() throws IOException {
    Path csv = write(tmp, "bc.csv", withCell(lines(breastCancer()), 5, "mean_texture", ""));
    Path dir = parquet(csvFrame(csv), "nulls.parquet");
    String part;
    try (Stream<Path> files = Files.list(dir)) {
      part =
          files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow().toString();
    }

    DataException e =
        assertThrows(
            DataException.class,
            () -> DataSources.read(sc, config("parquet", dir, "data.label=benign"), 2));
    TrainingData skipped =
        DataSources.read(sc, config("parquet", dir, "data.label=benign", "data.bad-rows=skip"), 2);

    assertThat(e.getMessage())
        .contains(
            "missing-value (1 row), first at file:"
                + part
                + " row 4, column 'mean_texture' (index 1): expected a number, got null");
    assertThat(skipped.skippedRows()).isEqualTo(Map.of("missing-value", 1L));
    assertThat(skipped.train().count() + skipped.test().count()).isEqualTo(568);
  }

  @Test
  void parquetStringLabelsAreClassNamesAndStringFeaturesAreRefused() {
    Dataset<Row> named =
        csvFrame(breastCancer())
            .withColumn(
                "diagnosis", when(col("benign").equalTo(1), "benign").otherwise("malignant"))
            .drop("benign")
            .withColumn("id", col("mean_radius").cast("string"));
    Path dir = parquet(named, "named.parquet");

    TrainingData d =
        DataSources.read(
            sc, config("parquet", dir, "data.label=diagnosis", "data.exclude=[id]"), 2);
    DataException e =
        assertThrows(
            DataException.class,
            () -> DataSources.read(sc, config("parquet", dir, "data.label=diagnosis"), 2));

    assertThat(d.labelIndex().orElseThrow().classes()).containsExactly("benign", "malignant");
    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(flippedKeys(lines(breastCancer())));
    assertThat(e.getMessage())
        .endsWith(
            "named.parquet: column 'id' (index 31) has type string; a feature must be numeric (or"
                + " list it in data.exclude)");
  }

  private Path libsvm(String name) {
    Dataset<Row> df = csvFrame(breastCancer());
    String[] features = Arrays.copyOf(df.columns(), 30);
    Path dir = tmp.resolve(name);
    new VectorAssembler()
        .setInputCols(features)
        .setOutputCol("features")
        .transform(df)
        .select(col("benign").cast("double").as("label"), col("features"))
        .coalesce(1)
        .write()
        .format("libsvm")
        .save(dir.toString());
    return dir;
  }

  @Test
  void libsvmWrittenBySparkGivesTheSameExamplesAsTheCsv() {
    Path dir = libsvm("bc.libsvm");

    TrainingData d = DataSources.read(sc, config("libsvm", dir, "data.libsvm.num-features=30"), 2);

    assertThat(keys(d)).containsExactlyInAnyOrderElementsOf(expectedKeys(lines(breastCancer())));
    assertThat(d.featureNames()).hasSize(30).startsWith("f1", "f2").endsWith("f30");
  }

  @Test
  void malformedLibsvmLinesAreNamedByFileAndLineOrSkipped() throws IOException {
    Path dir = libsvm("bc.libsvm");
    Path part;
    try (Stream<Path> files = Files.list(dir)) {
      part =
          files
              .filter(f -> f.getFileName().toString().startsWith("part-"))
              .findFirst()
              .orElseThrow();
    }
    List<String> lines = lines(part);
    lines.set(2, "1.0 3:0.5 31:0.25");
    lines.set(4, "0.0 5:0.5 2:0.25");
    lines.set(6, "x 1:0.5");
    lines.set(8, "1.0 1:abc");
    Files.write(part, lines);
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));

    DataException e =
        assertThrows(
            DataException.class,
            () ->
                DataSources.read(
                    sc,
                    config(
                        "libsvm", dir, "data.libsvm.num-features=30", "data.label-encoding=index"),
                    2));
    TrainingData skipped =
        DataSources.read(
            sc,
            config(
                "libsvm",
                dir,
                "data.libsvm.num-features=30",
                "data.label-encoding=index",
                "data.bad-rows=skip"),
            2);

    assertThat(e.getMessage())
        .contains(
            "feature-index-out-of-range (1 row), first at file:"
                + part
                + " line 3, feature index 31: expected 1..30 (data.libsvm.num-features)")
        .contains(part + " line 5, feature index 2 after 5: indexes must ascend")
        .contains(part + " line 7, label (the first value of the line): expected a number, got 'x'")
        .contains("non-numeric (2 rows), first at file:" + part + " line 7,");
    assertThat(skipped.skippedRows())
        .isEqualTo(Map.of("feature-index-out-of-range", 1L, "malformed", 1L, "non-numeric", 2L));
    assertThat(skipped.train().count() + skipped.test().count()).isEqualTo(565);
  }
}
