package sparktrain.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.JobConfig;
import sparktrain.config.LayerConfig;
import sparktrain.config.LossFunction;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.data.TrainingData;
import sparktrain.train.MiniBatches;
import sparktrain.train.Shuffle;

/**
 * The data side of a workload, prepared the way {@code TrainJob} prepares it (same reader, same
 * seeded shuffle, same scaling and label layout), so that every competitor sees the same examples.
 */
final class Workload {
  private Workload() {}

  /** How the output layer's loss wants its labels. */
  static MiniBatches.LabelLayout labelLayout(JobConfig config) {
    List<LayerConfig> layers = config.model().layers();
    LossFunction loss = layers.get(layers.size() - 1).loss();
    return loss == LossFunction.MCXENT
        ? MiniBatches.LabelLayout.ONE_HOT
        : MiniBatches.LabelLayout.COLUMN;
  }

  /**
   * The job's feature normalizer, fitted on {@code train} as training fits it (standardize and
   * min-max need the training split's statistics; image scaling and none need no data).
   */
  static Normalizer normalizer(JavaRDD<Example> train, JobConfig config) {
    return Normalizer.fit(train, config.data().normalization(), List.of());
  }

  /** Training and test examples, the training ones shuffled like {@code TrainJob} does. */
  static TrainingData examples(JavaSparkContext sc, JobConfig config, int partitions) {
    TrainingData in = DataSources.read(sc, config.data(), partitions);
    JavaRDD<Example> train =
        config.training().shuffle()
            ? Shuffle.examples(in.train(), config.training().seed(), partitions)
            : in.train();
    return new TrainingData(train, in.test(), in.inputs());
  }

  /** Consecutive examples cut into minibatches of {@code batchSize} on this JVM, normalized. */
  static List<DataSet> batches(
      List<Example> examples, int batchSize, JobConfig config, Normalizer normalizer) {
    MiniBatches.LabelLayout layout = labelLayout(config);
    int numClasses = config.data().numClasses();
    List<DataSet> out = new ArrayList<>();
    for (int i = 0; i < examples.size(); i += batchSize) {
      List<Example> batch = examples.subList(i, Math.min(examples.size(), i + batchSize));
      out.add(MiniBatches.toDataSet(batch, layout, numClasses, normalizer));
    }
    return out;
  }
}
