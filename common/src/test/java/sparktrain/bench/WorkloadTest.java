package sparktrain.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.testing.LocalSparkTestBase;

/** The minibatches the single-process baselines train on, on the shipped tabular data. */
class WorkloadTest extends LocalSparkTestBase {
  @Test
  void theBaselinesMinibatchesAreNormalizedAsTheJobConfigSays() {
    JobConfig config =
        ConfigLoader.load(
            Path.of("..", "conf", "binary-mlp.conf").toString(),
            List.of("data.path=\"" + Path.of("..", "conf", "data", "breast-cancer.csv") + "\""));
    TrainingData data = Workload.examples(sc, config, 2);
    List<Example> train = data.train().collect();
    Normalizer normalizer = Workload.normalizer(data.train(), config);
    List<DataSet> batches = Workload.batches(train, 32, config, normalizer);

    INDArray x = Nd4j.vstack(batches.stream().map(DataSet::getFeatures).toArray(INDArray[]::new));
    assertThat(x.rows()).isEqualTo(train.size());
    // standardize (the config's): every feature of the training split has mean 0 and std 1;
    // raw, the breast-cancer columns reach into the thousands
    for (int j = 0; j < x.columns(); j++) {
      INDArray column = x.getColumn(j);
      assertThat(column.meanNumber().doubleValue())
          .as("mean of feature " + j)
          .isCloseTo(0, within(1e-3));
      assertThat(column.stdNumber().doubleValue())
          .as("std of feature " + j)
          .isCloseTo(1, within(0.01));
    }
  }
}
