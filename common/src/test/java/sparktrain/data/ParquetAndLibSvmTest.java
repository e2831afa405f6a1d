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
  void columnsOfEveryNumericTypeReadAsSparkCastsThemToDouble() {
    Dataset<Row> df = csvFrame(breastCancer());
    List<org.apache.spark.sql.Column> typed = new java.util.ArrayList<>();
    typed.add(col("benign").cast("boolean").as("benign"));
    typed.add(col("mean_radius").cast("decimal(12,4)").as("mean_radius"));
    typed.add(col("mean_texture").multiply(100).cast("int").as("mean_texture"));
    typed.add(col("mean_perimeter").cast("float").as("mean_perimeter"));
    typed.add(col("mean_area").multiply(1000).cast("long").as("mean_area"));
    typed.add(col("mean_smoothness").multiply(1000).cast("short").as("mean_smoothness"));
    typed.add(col("mean_compactness").multiply(100).cast("byte").as("mean_compactness"));
    typed.add(col("mean_concavity").gt(0.1).as("mean_concavity"));
    Arrays.stream(df.columns())
        .filter(c -> typed.stream().noneMatch(t -> t.toString().contains(c)))
        .forEach(c -> typed.add(col(c)));
    Dataset<Row> mixed = df.select(typed.toArray(new org.apache.spark.sql.Column[0]));
    Dataset<Row> doubles =
        mixed.select(
            Arrays.stream(mixed.columns())
                .map(c -> col(c).cast("double").as(c))
                .toArray(org.apache.spark.sql.Column[]::new));

    TrainingData read =
        DataSources.read(
            sc, config("parquet", parquet(mixed, "mixed.parquet"), "data.label=benign"), 2);
    TrainingData cast =
        DataSources.read(
            sc, config("parquet", parquet(doubles, "doubles.parquet"), "data.label=benign"), 2);

    assertThat(mixed.schema().fields()[4].dataType().simpleString()).isEqualTo("bigint");
    assertThat(keys(read)).hasSize(569).containsExactlyElementsOf(keys(cast));
  }

  @Test
  void rowsAreNumberedInTheirFileAcrossRowGroupsAndSplits() throws Exception {
    // 569 rows in row groups of a few KB, read in splits of 8 KB: a row's number comes from its
    // split's first row group, not from where the split or the task started
    Path csv = write(tmp, "bc.csv", withCell(lines(breastCancer()), 451, "mean_texture", ""));
    Path dir = tmp.resolve("groups.parquet");
    csvFrame(csv).coalesce(1).write().option("parquet.block.size", 4096).parquet(dir.toString());
    Path part;
    try (Stream<Path> files = Files.list(dir)) {
      part = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    try (var reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), sc.hadoopConfiguration()))) {
      assertThat(reader.getRowGroups()).as("row groups").hasSizeGreaterThan(4);
    }
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "8k");
    try {
      assertThat(spark.read().parquet(dir.toString()).rdd().getNumPartitions())
          .as("splits")
          .isGreaterThan(2);

      DataException e =
          assertThrows(
              DataException.class,
              () -> DataSources.read(sc, config("parquet", dir, "data.label=benign"), 2));

      assertThat(e.getMessage())
          .contains(
              "missing-value (1 row), first at file:"
                  + part
                  + " row 450, column 'mean_texture' (index 1): expected a number, got null");
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
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
