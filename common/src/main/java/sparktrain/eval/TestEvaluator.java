package sparktrain.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Distributed evaluation of the current model on a held-out split: the executors score their
 * partitions and the driver merges small metric objects (no predictions are collected).
 */
public final class TestEvaluator {
  private TestEvaluator() {}

  /**
   * Classification metrics: accuracy, macro-averaged F1, and the mean loss (the training loss
   * function on the held-out data, regularization included as DL4J scores it).
   */
  public static Map<String, Double> classification(
      SparkDl4jMultiLayer net, JavaRDD<DataSet> test) {
    Evaluation ev = net.evaluate(test);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", ev.accuracy());
    m.put("f1", ev.f1());
    m.put("loss", net.calculateScore(test, true));
    m.put("examples", (double) ev.getNumRowCounter());
    return m;
  }
}
