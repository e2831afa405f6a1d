package sparktrain.predict;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;
import sparktrain.data.Example;
import sparktrain.eval.BatchEncoder;

/**
 * Runs on the executors: streams a partition of (example, record index) pairs through the network
 * one minibatch at a time and yields one {@link Row} per record, in order. At most one minibatch of
 * examples and rows is held at a time.
 */
final class Predictor implements FlatMapFunction<Iterator<Tuple2<Example, Long>>, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Tuple2<String, INDArray>> model;
  private final BatchEncoder encoder;
  private final PredictionRows rows;
  private final LongAccumulator nonFinite;

  /**
   * @param model the network's configuration JSON and parameters
   * @param nonFinite counts the records whose output held NaN or an infinity
   */
  Predictor(
      Broadcast<Tuple2<String, INDArray>> model,
      BatchEncoder encoder,
      PredictionRows rows,
      LongAccumulator nonFinite) {
    this.model = model;
    this.encoder = encoder;
    this.rows = rows;
    this.nonFinite = nonFinite;
  }

  @Override
  public Iterator<Row> call(Iterator<Tuple2<Example, Long>> it) {
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();
      private MultiLayerNetwork net;

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && it.hasNext()) {
          predictNextBatch();
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }

      private void predictNextBatch() {
        if (net == null) {
          Tuple2<String, INDArray> m = model.value();
          net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(m._1()));
          net.init(m._2().dup(), false);
        }
        List<Example> examples = new ArrayList<>(encoder.batchSize());
        List<Long> ids = new ArrayList<>(encoder.batchSize());
        while (it.hasNext() && examples.size() < encoder.batchSize()) {
          Tuple2<Example, Long> t = it.next();
          examples.add(t._1());
          ids.add(t._2());
        }
        DataSet batch = encoder.encode(examples);
        float[][] out = net.output(batch.getFeatures(), false).toFloatMatrix();
        for (int i = 0; i < out.length; i++) {
          if (!PredictionRows.isFinite(out[i])) {
            nonFinite.add(1);
          }
          ready.add(rows.row(ids.get(i), examples.get(i).label(), out[i]));
        }
      }
    };
  }
}
