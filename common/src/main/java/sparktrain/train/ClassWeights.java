package sparktrain.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.ClassWeightsConfig;
import sparktrain.config.LossFunction;
import sparktrain.data.Example;

/**
 * {@code training.class-weights} on a network: the weight of each class (balanced: n / (k * count),
 * from the training split) set as the weights of DL4J's {@link LossMCXENT} or {@link
 * LossSparseMCXENT} in the output layer's configuration, which both engines ship to the workers and
 * model.zip saves (plain DL4J reads it).
 */
final class ClassWeights {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  private ClassWeights() {}

  /** The weight of each class index, or null when every class weighs the same. */
  static double[] resolve(ClassWeightsConfig config, JavaRDD<Example> train, int numClasses) {
    if (!config.enabled()) {
      return null;
    }
    double[] w = new double[numClasses];
    java.util.Arrays.fill(w, 1.0);
    if (config.balanced()) {
      Map<Integer, Long> counts = train.map(e -> (int) e.label()).countByValue();
      long n = counts.values().stream().mapToLong(Long::longValue).sum();
      for (int c = 0; c < numClasses; c++) {
        long count = counts.getOrDefault(c, 0L);
        if (count == 0) {
          LOG.warn("class-weights balanced: class {} has no training examples; it weighs 1", c);
        } else {
          w[c] = n / ((double) numClasses * count);
        }
      }
    } else {
      config.explicit().forEach((c, weight) -> w[c] = weight);
    }
    return w;
  }

  /** Sets the output layer's loss to the weighted form of {@code loss}. */
  static void applyTo(MultiLayerNetwork net, double[] weights, LossFunction loss) {
    INDArray w = Nd4j.create(new double[][] {weights}).castTo(net.params().dataType());
    BaseOutputLayer out = (BaseOutputLayer) net.getOutputLayer().conf().getLayer();
    out.setLossFn(loss == LossFunction.MCXENT ? new LossMCXENT(w) : new LossSparseMCXENT(w));
  }

  /** The weights as summary.json and the report show them: class index -> weight. */
  static Map<String, Object> describe(ClassWeightsConfig config, double[] weights) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", config.balanced() ? "balanced: n / (k * count of the class)" : "explicit");
    Map<String, Double> byClass = new LinkedHashMap<>();
    for (int c = 0; c < weights.length; c++) {
      byClass.put(Integer.toString(c), weights[c]);
    }
    m.put("weights", byClass);
    return m;
  }
}
