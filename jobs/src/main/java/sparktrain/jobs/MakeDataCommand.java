package sparktrain.jobs;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparktrain.data.generate.ScaledMnist;
import sparktrain.data.generate.SyntheticTable;
import sparktrain.spark.SparkSessions;

/**
 * {@code sparktrain make-data mnist|table ...}: scaled data to try sparktrain at size, from MNIST
 * (shifted copies) or from a known rule (a table of any size).
 */
@Command(
    name = "make-data",
    mixinStandardHelpOptions = true,
    description = "Write scaled data: MNIST x K with shifted copies, or a synthetic table.",
    subcommands = {MakeDataCommand.Mnist.class, MakeDataCommand.Table.class})
final class MakeDataCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a kind is required: mnist or table");
  }

  /** {@code make-data mnist}. */
  @Command(
      name = "mnist",
      mixinStandardHelpOptions = true,
      description =
          "MNIST's training set K times larger: copy 0 as it is, the others shifted by up to"
              + " --max-shift pixels (IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte).")
  static final class Mnist implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "data/mnist/train-images-idx3-ubyte")
    String images;

    @Option(names = "--labels", defaultValue = "data/mnist/train-labels-idx1-ubyte")
    String labels;

    @Option(names = "--copies", defaultValue = "20", description = "K (default ${DEFAULT-VALUE})")
    int copies;

    @Option(names = "--max-shift", defaultValue = "2")
    int maxShift;

    @Option(names = "--sort-by-label", description = "Group the records by label (0s first).")
    boolean sortByLabel;

    @Option(names = "--seed", defaultValue = "12345")
    long seed;

    @Option(names = "--output", required = true, paramLabel = "DIR")
    String output;

    @Override
    public Integer call() throws Exception {
      ScaledMnist.Result r =
          ScaledMnist.write(
              images,
              labels,
              output,
              copies,
              maxShift,
              sortByLabel,
              seed,
              SparkSessions.hadoopConf(SparkSessions.checkedConf(null)));
      System.out.println(r.images());
      System.out.println(r.labels());
      System.err.printf("%d records, %d MB%n", r.records(), r.bytes() >> 20);
      return ExitCodes.OK;
    }
  }

  /** {@code make-data table}. */
  @Command(
      name = "table",
      mixinStandardHelpOptions = true,
      description =
          "A binary classification table: f0..f(d-1) ~ N(0,1), label = 1 when sum_j w_j f_j +"
              + " 0.5 noise > 0 (w_j = (-1)^j / sqrt(j+1)); Parquet or CSV with a header.")
  static final class Table implements Callable<Integer> {
    @Option(names = "--rows", required = true)
    long rows;

    @Option(names = "--features", defaultValue = "30")
    int features;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet or csv")
    String format;

    @Option(
        names = "--values",
        defaultValue = "normal",
        description =
            "normal: float columns ~ N(0,1); byte: whole numbers clamp(round(128 + 40 f), 0, 255)"
                + " in int columns (one byte per value in the training spool)")
    String values;

    @Option(names = "--seed", defaultValue = "12345")
    long seed;

    @Option(
        names = "--partitions",
        defaultValue = "0",
        description = "0: one per 32M values (1M rows of 32 columns)")
    int partitions;

    @Option(names = "--output", required = true, paramLabel = "DIR")
    String output;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      spark.checkedHadoopConf();
      SyntheticTable.Values kind;
      try {
        kind = SyntheticTable.Values.valueOf(values.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--values must be normal or byte, got " + values);
      }
      SparkSession session = spark.start("sparktrain make-data table");
      long cells = rows * (features + 1L);
      int parts = partitions > 0 ? partitions : (int) Math.max(1, (cells + (1 << 25) - 1) >> 25);
      SyntheticTable.write(session, output, format, rows, features, seed, parts, kind);
      System.out.println(output);
      return ExitCodes.OK;
    }
  }
}
