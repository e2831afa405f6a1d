package sparktrain.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparktrain.config.DataConfig;
import sparktrain.config.SplitPaths;

/** Reads the data a {@code data} config section names, whatever its format. */
public final class DataSources {
  private DataSources() {}

  /**
   * Reads the training, test and (if configured) validation splits. The data stays distributed:
   * only small metadata (line counts per input split, bad-row counts, class names) reaches the
   * driver.
   *
   * <p>IDX: each split from its own pair of files, {@code partitions} partitions each; a validation
   * split without files of its own is a seeded fraction of the training file. CSV, Parquet, LibSVM:
   * see {@code data.path} and {@code data.split} in reference.conf; the training split has {@code
   * partitions} partitions.
   *
   * @throws DataException naming the file, line (or row) and column of bad input, a missing file or
   *     column, an empty input, or a classification training split with a single class
   */
  public static TrainingData read(JavaSparkContext sc, DataConfig data, int partitions) {
    return read(sc, data, partitions, false);
  }

  /**
   * As {@link #read(JavaSparkContext, DataConfig, int)}; with {@code spooled} a tabular input's
   * training split keeps the source's partitions (in order) instead of being cut into {@code
   * partitions} contiguous ranges: the spool job shuffles and packs it anyway, and the re-cut is a
   * full sort of the data through Spark's shuffle (on a 22 GB table: 2 more passes and a 22 GB
   * shuffle) that also leaves only {@code partitions} tasks for every later pass.
   */
  public static TrainingData read(
      JavaSparkContext sc, DataConfig data, int partitions, boolean spooled) {
    return switch (data.format()) {
      case IDX -> idx(sc, data, partitions);
      case CSV, PARQUET, LIBSVM -> TabularData.read(sc, data, partitions, spooled);
    };
  }

  private static TrainingData idx(JavaSparkContext sc, DataConfig data, int partitions) {
    JavaRDD<Example> train =
        IdxDataset.read(
            sc,
            data.train().images(),
            data.train().labels(),
            data.trainOffset(),
            data.trainLimit(),
            partitions);
    JavaRDD<Example> test = idxSplit(sc, data.test(), data.testLimit(), partitions);
    List<String> inputs =
        new ArrayList<>(
            List.of(
                data.train().images(),
                data.train().labels(),
                data.test().images(),
                data.test().labels()));
    Optional<JavaRDD<Example>> validation = Optional.empty();
    if (data.validation().hasIdx()) {
      validation = Optional.of(idxSplit(sc, data.validation(), 0, partitions));
      inputs.add(data.validation().images());
      inputs.add(data.validation().labels());
    } else if (data.split().validation() > 0) {
      double v = data.split().validation();
      JavaRDD<Example>[] parts = train.randomSplit(new double[] {1 - v, v}, data.seed());
      train = parts[0];
      validation = Optional.of(parts[1]);
    }
    return new TrainingData(train, test, inputs, validation, List.of(), Optional.empty(), Map.of());
  }

  private static JavaRDD<Example> idxSplit(
      JavaSparkContext sc, SplitPaths paths, int limit, int partitions) {
    return IdxDataset.read(sc, paths.images(), paths.labels(), limit, partitions);
  }
}
