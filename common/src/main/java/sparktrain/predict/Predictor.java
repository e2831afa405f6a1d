package sparktrain.predict;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
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
import sparktrain.eval.ForwardPass;

/**
 * Runs on the executors: streams a partition of records through the network one minibatch at a time
 * and yields one {@link Row} per record, in order. At most one minibatch of records and rows is
 * held at a time. The network comes from one broadcast ({@link #broadcast}); what a record is and
 * what its row holds is the {@link RecordRows}' business.
 *
 * @param <T> the records, e.g. (example, record index) pairs or a DataFrame's rows
 */
public final class Predictor<T> implements FlatMapFunction<Iterator<T>, Row> {
  private static final long serialVersionUID = 1L;

  /**
   * How records become network inputs and output rows.
   *
   * @param <T> the records
   */
  public interface RecordRows<T> extends Serializable {
    /** The example (features; the label may be a placeholder) of a record. */
    Example example(T record);

    /** The output row of a record from its example and the network's output row. */
    Row row(T record, Example example, float[] output);
  }

  private final Broadcast<Tuple2<String, INDArray>> model;
  private final BatchEncoder encoder;
  private final RecordRows<T> rows;
  private final LongAccumulator nonFinite;

  /**
   * @param model the network's configuration JSON and parameters ({@link #broadcast})
   * @param nonFinite counts the records whose output held NaN or an infinity
   */
  public Predictor(
      Broadcast<Tuple2<String, INDArray>> model,
      BatchEncoder encoder,
      RecordRows<T> rows,
      LongAccumulator nonFinite) {
    this.model = model;
    this.encoder = encoder;
    this.rows = rows;
    this.nonFinite = nonFinite;
  }

  /** Broadcasts {@code net} once, as its configuration JSON and parameters. */
  public static Broadcast<Tuple2<String, INDArray>> broadcast(
      JavaSparkContext sc, MultiLayerNetwork net) {
    return sc.broadcast(new Tuple2<>(net.getLayerWiseConfigurations().toJson(), net.params()));
  }

  @Override
  public Iterator<Row> call(Iterator<T> it) {
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
        List<T> records = new ArrayList<>(encoder.batchSize());
        List<Example> examples = new ArrayList<>(encoder.batchSize());
        while (it.hasNext() && examples.size() < encoder.batchSize()) {
          T record = it.next();
          records.add(record);
          examples.add(rows.example(record));
        }
        DataSet batch = encoder.encode(examples);
        float[] out = ForwardPass.outputs(net, batch.getFeatures());
        ForwardPass.release(batch.getFeatures());
        ForwardPass.release(batch.getLabels());
        int n = examples.size();
        int width = out.length / n;
        for (int i = 0; i < n; i++) {
          float[] row = Arrays.copyOfRange(out, i * width, (i + 1) * width);
          if (!PredictionRows.isFinite(row)) {
            nonFinite.add(1);
          }
          ready.add(rows.row(records.get(i), examples.get(i), row));
        }
      }
    };
  }
}
