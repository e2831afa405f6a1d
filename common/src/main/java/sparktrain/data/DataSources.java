package sparktrain.data;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import sparktrain.config.DataConfig;

/** Reads the data a {@code data} config section names, whatever its format. */
public final class DataSources {
  private DataSources() {}

  /** Reads the training and test splits into {@code partitions} partitions each. */
  public static TrainingData read(JavaSparkContext sc, DataConfig data, int partitions) {
    return switch (data.format()) {
      case IDX ->
          new TrainingData(
              IdxDataset.read(
                  sc,
                  data.train().images(),
                  data.train().labels(),
                  data.trainOffset(),
                  data.trainLimit(),
                  partitions),
              IdxDataset.read(
                  sc, data.test().images(), data.test().labels(), data.testLimit(), partitions),
              List.of(
                  data.train().images(),
                  data.train().labels(),
                  data.test().images(),
                  data.test().labels()));
    };
  }
}
