package sparktrain.eval;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;
import sparktrain.config.ModelConfig;

/**
 * Scores a model over a distributed data set on the executors, in one pass: each task rebuilds the
 * network from a broadcast (configuration JSON + parameters), streams its partition through it
 * minibatch by minibatch, and returns one small mergeable {@link EvaluationResult}; the results are
 * merged with {@code treeReduce}. No prediction travels to the driver.
 *
 * <p>Per minibatch the network runs once ({@link ForwardPass}): the outputs and the per-example
 * loss of its own loss function (regularization excluded) come from the same pass, are read back
 * with one bulk copy each, and the metrics are updated from those flat arrays.
 */
public final class DistributedEvaluator {
  private DistributedEvaluator() {}

  /**
   * Metrics of {@code net} on {@code data}, of the kind the model's output layer calls for (see
   * {@link EvaluationPlan#of(ModelConfig, int)}).
   *
   * @param numClasses {@code data.num-classes} (not used for regression)
   */
  public static EvaluationResult evaluate(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<DataSet> data,
      ModelConfig model,
      int numClasses) {
    return evaluate(sc, net, data, EvaluationPlan.of(model, numClasses));
  }

  /** Metrics of {@code net} on {@code data} as {@code plan} says. */
  public static EvaluationResult evaluate(
      JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> data, EvaluationPlan plan) {
    return switch (plan.kind()) {
      case MULTICLASS -> run(sc, net, data, plan, ClassificationMetrics::merge);
      case BINARY -> run(sc, net, data, plan, BinaryClassificationMetrics::merge);
      case REGRESSION -> run(sc, net, data, plan, RegressionMetrics::merge);
    };
  }

  /**
   * Multiclass metrics of a softmax network; labels may be a class-index column or one-hot.
   *
   * @deprecated use {@link #evaluate(JavaSparkContext, MultiLayerNetwork, JavaRDD, ModelConfig,
   *     int)}, which also handles binary and regression outputs
   */
  @Deprecated
  public static ClassificationMetrics classification(
      JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> data, int numClasses) {
    return (ClassificationMetrics) evaluate(sc, net, data, EvaluationPlan.multiclass(numClasses));
  }

  @SuppressWarnings("unchecked")
  private static <T extends EvaluationResult> T run(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<DataSet> data,
      EvaluationPlan plan,
      Function2<T, T, T> merge) {
    if (data.getNumPartitions() == 0) {
      return (T) plan.empty();
    }
    Broadcast<Tuple2<String, INDArray>> model =
        sc.broadcast(new Tuple2<>(net.getLayerWiseConfigurations().toJson(), net.params()));
    boolean fresh = freshCopies(data.getStorageLevel());
    try {
      return data.mapPartitions(
              (Iterator<DataSet> it) -> {
                T m = (T) plan.empty();
                if (it.hasNext()) {
                  MultiLayerNetwork local = rebuild(model.value());
                  while (it.hasNext()) {
                    DataSet ds = it.next();
                    score(local, ds, plan, m);
                    if (fresh) {
                      // off-heap memory back now, not when a GC finds the arrays: a 1.1M-row
                      // test split of 1,000 features grew the process to 6.7 GB without it
                      ForwardPass.release(ds.getFeatures());
                      ForwardPass.release(ds.getLabels());
                    }
                  }
                }
                return List.of(m).iterator();
              })
          .treeReduce(merge);
    } finally {
      model.destroy();
    }
  }

  /**
   * Whether every minibatch a task reads at this storage level is its own copy (deserialized from
   * serialized memory or from disk), which it may free; not for objects cached as they are, or
   * computed by a lineage that may hand out cached ones.
   */
  static boolean freshCopies(StorageLevel level) {
    return level.isValid() && !level.deserialized();
  }

  static MultiLayerNetwork rebuild(Tuple2<String, INDArray> model) {
    MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(model._1()));
    net.init(model._2().dup(), false);
    return net;
  }

  /**
   * Adds one minibatch to {@code metrics}, which must be of {@code plan}'s kind (exposed for
   * single-process use). Rows whose output holds NaN or Inf are counted as non-finite and skipped;
   * the loss is summed over the other rows.
   */
  public static void score(
      MultiLayerNetwork net, DataSet ds, EvaluationPlan plan, EvaluationResult metrics) {
    score(net, ds.getFeatures(), ds.getLabels(), plan, metrics);
  }

  /** As {@link #score(MultiLayerNetwork, DataSet, EvaluationPlan, EvaluationResult)}. */
  static void score(
      MultiLayerNetwork net,
      INDArray features,
      INDArray labels,
      EvaluationPlan plan,
      EvaluationResult metrics) {
    ForwardPass.Result r = ForwardPass.run(net, features, labels);
    double[] y = ForwardPass.doubles(labels);
    int labelWidth = (int) (y.length / Math.max(1, features.size(0)));
    if (r.width() != plan.outputs()) {
      throw new IllegalArgumentException(
          "the network has " + r.width() + " outputs, the plan " + plan.outputs());
    }
    plan.addBatch(metrics, r.outputs(), y, labelWidth, r.loss());
  }
}
