package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make-data table}: the synthetic tables written by Spark, read back with Spark (Parquet) or
 * as text (CSV).
 */
class MakeDataCommandTest {
  @TempDir Path tmp;

  @Test
  void aWideByteTableHoldsWholeNumbersInZeroTo255AndBothLabels() {
    Path out = tmp.resolve("wide");
    // 600 features: the label's sum of 600 terms once overflowed the stack of Spark's analyzer
    assertThat(
            SparktrainCli.run(
                "make-data",
                "table",
                "--rows",
                "3000",
                "--features",
                "600",
                "--values",
                "byte",
                "--master",
                "local[2]",
                "--output",
                out.toString()))
        .isZero();

    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      Dataset<Row> t = spark.read().parquet(out.toString());
      assertThat(t.columns()).hasSize(601).startsWith("f0", "f1").endsWith("f599", "label");
      assertThat(t.count()).isEqualTo(3000);
      assertThat(t.schema().apply("f17").dataType().typeName()).isEqualTo("integer");
      Row range =
          t.agg(
                  functions.min("f17"),
                  functions.max("f17"),
                  functions.min("f599"),
                  functions.max("f599"),
                  functions.avg("label"))
              .first();
      assertThat(range.getInt(0)).isGreaterThanOrEqualTo(0);
      assertThat(range.getInt(1)).isLessThanOrEqualTo(255).isGreaterThan(200);
      assertThat(range.getInt(2)).isGreaterThanOrEqualTo(0).isLessThan(50);
      assertThat(range.getInt(3)).isLessThanOrEqualTo(255);
      // the rule's score is symmetric around 0: about half the rows are positive
      assertThat(range.getDouble(4)).isBetween(0.4, 0.6);
    } finally {
      spark.stop();
    }
  }

  @Test
  void aCsvTableHasAHeaderAndOneLinePerRow() throws Exception {
    Path out = tmp.resolve("csv");
    assertThat(
            SparktrainCli.run(
                "make-data",
                "table",
                "--rows",
                "500",
                "--features",
                "3",
                "--format",
                "csv",
                "--master",
                "local[2]",
                "--output",
                out.toString()))
        .isZero();

    List<String> lines;
    try (Stream<Path> files = Files.list(out)) {
      lines =
          files
              .filter(p -> p.getFileName().toString().endsWith(".csv"))
              .flatMap(p -> readLines(p).stream())
              .toList();
    }
    assertThat(lines.stream().filter(l -> l.equals("f0,f1,f2,label"))).hasSize(1);
    assertThat(lines.stream().filter(l -> !l.startsWith("f0"))).hasSize(500);
  }

  @Test
  void anUnknownValueKindIsAUsageError() {
    assertThat(
            SparktrainCli.run(
                "make-data",
                "table",
                "--rows",
                "10",
                "--values",
                "int8",
                "--output",
                tmp.resolve("x").toString()))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  private static List<String> readLines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
