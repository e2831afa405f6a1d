package sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;
import sparktrain.data.FeatureBatch;

/**
 * One pass of a saved model over distributed minibatches, as {@link DistributedEvaluator} does it
 * (each task rebuilds the network from a broadcast, streams its partition through it minibatch by
 * minibatch with {@link DistributedEvaluator#score}, and returns one small mergeable result; the
 * driver tree-merges them), plus, for regression, a bounded {@link ResidualSample} of (target,
 * prediction) rows for the residual plot. Only the merged metrics and the sample reach the driver.
 */
public final class EvaluationPass {
  /** Rows of the residual sample of a regression evaluation. */
  public static final int DEFAULT_SAMPLE_ROWS = 1000;

  private EvaluationPass() {}

  /**
   * What the pass produced.
   *
   * @param metrics the metrics of the plan's kind
   * @param residuals the residual sample (empty unless the plan is regression)
   * @param span when the executors scored (first minibatch to last)
   */
  public record Result(EvaluationResult metrics, ResidualSample residuals, BatchSpan span) {
    /** A result without timing. */
    public Result(EvaluationResult metrics, ResidualSample residuals) {
      this(metrics, residuals, BatchSpan.NONE);
    }
  }

  /** A partition's result (a class, not a record: task results travel with Kryo). */
  private static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    private final EvaluationResult metrics;
    private final ResidualSample residuals;
    private final BatchSpan span;

    Partial(EvaluationResult metrics, ResidualSample residuals, BatchSpan span) {
      this.metrics = metrics;
      this.residuals = residuals;
      this.span = span;
    }
  }

  /**
   * Scores {@code net} on {@code data} as {@code plan} says.
   *
   * @param sampleRows rows of the residual sample kept for regression (0: none)
   */
  public static Result run(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<DataSet> data,
      EvaluationPlan plan,
      int sampleRows) {
    return run(
        sc,
        net,
        data,
        (Function<DataSet, DataSet> & Serializable) ds -> ds,
        false,
        plan,
        sampleRows);
  }

  /**
   * Scores {@code net} on {@code batches}, each turned into the model's minibatch by {@code
   * encoder} on the executors (its label layout and classes; the features are already normalized).
   *
   * @param sampleRows rows of the residual sample kept for regression (0: none)
   */
  public static Result run(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<FeatureBatch> batches,
      BatchEncoder encoder,
      EvaluationPlan plan,
      int sampleRows) {
    return run(
        sc,
        net,
        batches,
        (Function<FeatureBatch, DataSet> & Serializable) encoder::toDataSet,
        true,
        plan,
        sampleRows);
  }

  private static <B> Result run(
      JavaSparkContext sc,
      MultiLayerNetwork net,
      JavaRDD<B> data,
      Function<B, DataSet> minibatch,
      boolean release,
      EvaluationPlan plan,
      int sampleRows) {
    int rows = plan.kind() == EvaluationPlan.Kind.REGRESSION ? sampleRows : 0;
    if (data.getNumPartitions() == 0) {
      return new Result(plan.empty(), new ResidualSample(rows));
    }
    Broadcast<Tuple2<String, INDArray>> model =
        sc.broadcast(new Tuple2<>(net.getLayerWiseConfigurations().toJson(), net.params()));
    try {
      Partial merged =
          data.mapPartitionsWithIndex(
                  (Integer partition, Iterator<B> it) -> {
                    EvaluationResult m = plan.empty();
                    ResidualSample sample = new ResidualSample(rows);
                    BatchSpan span = BatchSpan.NONE;
                    if (it.hasNext()) {
                      long start = System.currentTimeMillis();
                      MultiLayerNetwork local = DistributedEvaluator.rebuild(model.value());
                      long index = 0;
                      while (it.hasNext()) {
                        DataSet ds = minibatch.apply(it.next());
                        DistributedEvaluator.score(local, ds, plan, m);
                        if (rows > 0) {
                          sampleRows(local, ds, partition, index, sample);
                        }
                        index += ds.numExamples();
                        if (release) {
                          // built for this pass only: free the off-heap memory now, not at a GC
                          ForwardPass.release(ds.getFeatures());
                          ForwardPass.release(ds.getLabels());
                        }
                      }
                      span = new BatchSpan(start, System.currentTimeMillis());
                    }
                    return List.of(new Partial(m, sample, span)).iterator();
                  },
                  false)
              .treeReduce(EvaluationPass::merge);
      return new Result(merged.metrics, merged.residuals, merged.span);
    } finally {
      model.destroy();
    }
  }

  /** Offers the rows of {@code ds} the sample would keep; their outputs are computed again. */
  private static void sampleRows(
      MultiLayerNetwork net, DataSet ds, int partition, long first, ResidualSample sample) {
    int n = ds.numExamples();
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (sample.accepts(ResidualSample.key(partition, first + i))) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    int[] idx = candidates.stream().mapToInt(Integer::intValue).toArray();
    double[][] out = net.output(rows(ds.getFeatures(), idx), false).toDoubleMatrix();
    double[][] labels = rows(ds.getLabels(), idx).toDoubleMatrix();
    for (int j = 0; j < idx.length; j++) {
      if (finite(out[j])) {
        sample.offer(ResidualSample.key(partition, first + idx[j]), labels[j], out[j]);
      }
    }
  }

  private static INDArray rows(INDArray m, int[] idx) {
    INDArray r = m.getRows(idx);
    return r.rank() == 2 ? r : r.reshape(idx.length, m.columns());
  }

  private static boolean finite(double[] row) {
    for (double v : row) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static Partial merge(Partial a, Partial b) {
    return new Partial(
        mergeMetrics(a.metrics, b.metrics), a.residuals.merge(b.residuals), a.span.merge(b.span));
  }

  /** Merges two results of the same kind into {@code a}. */
  static EvaluationResult mergeMetrics(EvaluationResult a, EvaluationResult b) {
    if (a instanceof ClassificationMetrics c) {
      return c.merge((ClassificationMetrics) b);
    }
    if (a instanceof BinaryClassificationMetrics c) {
      return c.merge((BinaryClassificationMetrics) b);
    }
    return ((RegressionMetrics) a).merge((RegressionMetrics) b);
  }
}
