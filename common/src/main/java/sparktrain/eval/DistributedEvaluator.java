package sparktrain.eval;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * Scores a model over a distributed data set on the executors: each task rebuilds the network from
 * a broadcast (configuration JSON + parameters), streams its partition through it minibatch by
 * minibatch, and returns one small {@link ClassificationMetrics}; the driver merges them.
 */
public final class DistributedEvaluator {
  private DistributedEvaluator() {}

  /**
   * Classification metrics of {@code net} on {@code data}. Labels may be a class-index column or
   * one-hot; the loss is the network's own loss function (regularization excluded).
   */
  public static ClassificationMetrics classification(
      JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> data, int numClasses) {
    Broadcast<Tuple2<String, INDArray>> model =
        sc.broadcast(new Tuple2<>(net.getLayerWiseConfigurations().toJson(), net.params()));
    try {
      return data.mapPartitions(
              (Iterator<DataSet> it) -> {
                ClassificationMetrics m = new ClassificationMetrics(numClasses);
                if (!it.hasNext()) {
                  return List.of(m).iterator();
                }
                MultiLayerNetwork local = rebuild(model.value());
                while (it.hasNext()) {
                  score(local, it.next(), m);
                }
                return List.of(m).iterator();
              })
          .treeReduce(ClassificationMetrics::merge);
    } finally {
      model.destroy();
    }
  }

  static MultiLayerNetwork rebuild(Tuple2<String, INDArray> model) {
    MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(model._1()));
    net.init(model._2().dup(), false);
    return net;
  }

  /** Adds one minibatch to {@code m} (exposed for single-process comparisons in tests). */
  public static void score(MultiLayerNetwork net, DataSet ds, ClassificationMetrics m) {
    INDArray out = net.output(ds.getFeatures(), false);
    INDArray labels = ds.getLabels();
    long n = out.rows();
    boolean oneHot = labels.columns() > 1;
    long finite = 0;
    for (int i = 0; i < n; i++) {
      INDArray row = out.getRow(i);
      if (!isFinite(row)) {
        m.addNonFinite();
        continue;
      }
      int actual = oneHot ? labels.getRow(i).argMax().getInt(0) : labels.getInt(i, 0);
      int predicted =
          row.columns() == 1 ? (row.getDouble(0) >= 0.5 ? 1 : 0) : row.argMax().getInt(0);
      m.add(actual, predicted);
      finite++;
    }
    if (finite == n) {
      // DL4J's score is the mean loss of the minibatch; weight it by the minibatch size.
      double mean = net.score(ds, false) - net.calcRegularizationScore(true);
      m.addLoss(mean * n, n);
    }
  }

  private static boolean isFinite(INDArray row) {
    for (int j = 0; j < row.columns(); j++) {
      double v = row.getDouble(j);
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return false;
      }
    }
    return true;
  }
}
