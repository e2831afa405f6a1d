package sparktrain.predict;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;
import sparktrain.data.FeatureBatch;
import sparktrain.eval.BatchEncoder;
import sparktrain.eval.BatchSpan;
import sparktrain.eval.ForwardPass;

/**
 * Runs on the executors: one forward pass per {@link FeatureBatch} of a partition, its outputs read
 * back in one bulk copy, and one {@link PredictionRows} row per record, in order ({@code id} = the
 * batch's first record index plus the row). At most one minibatch of rows is held at a time.
 */
public final class BatchPredictor implements FlatMapFunction<Iterator<FeatureBatch>, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Tuple2<String, INDArray>> model;
  private final BatchEncoder encoder;
  private final PredictionRows rows;
  private final LongAccumulator nonFinite;
  private final CollectionAccumulator<long[]> spans;

  /**
   * @param model the network's configuration JSON and parameters ({@link Predictor#broadcast})
   * @param nonFinite counts the records whose output held NaN or an infinity
   * @param spans receives each partition's {first minibatch's start, last row's end} in epoch
   *     milliseconds (see {@link #seconds})
   */
  public BatchPredictor(
      Broadcast<Tuple2<String, INDArray>> model,
      BatchEncoder encoder,
      PredictionRows rows,
      LongAccumulator nonFinite,
      CollectionAccumulator<long[]> spans) {
    this.model = model;
    this.encoder = encoder;
    this.rows = rows;
    this.nonFinite = nonFinite;
    this.spans = spans;
  }

  /** Seconds from the earliest partition's first minibatch to the latest one's last row. */
  public static double seconds(CollectionAccumulator<long[]> spans) {
    BatchSpan all = BatchSpan.NONE;
    for (long[] s : spans.value()) {
      all = all.merge(new BatchSpan(s[0], s[1]));
    }
    return all.seconds();
  }

  @Override
  public Iterator<Row> call(Iterator<FeatureBatch> batches) {
    if (!batches.hasNext()) {
      return Collections.emptyIterator();
    }
    long start = System.currentTimeMillis();
    Tuple2<String, INDArray> m = model.value();
    MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(m._1()));
    net.init(m._2().dup(), false);
    return new Iterator<>() {
      private FeatureBatch batch;
      private float[] out;
      private int width;
      private int row;
      private boolean done;

      @Override
      public boolean hasNext() {
        while ((batch == null || row == batch.rows()) && batches.hasNext()) {
          batch = batches.next();
          out = ForwardPass.outputs(net, encoder.features(batch));
          ForwardPass.release(batch.features());
          width = out.length / batch.rows();
          row = 0;
        }
        boolean more = batch != null && row < batch.rows();
        if (!more && !done) {
          done = true;
          spans.add(new long[] {start, System.currentTimeMillis()});
        }
        return more;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int i = row++;
        float[] output = Arrays.copyOfRange(out, i * width, (i + 1) * width);
        if (!PredictionRows.isFinite(output)) {
          nonFinite.add(1);
        }
        return rows.row(batch.first() + i, batch.labels()[i], output, batch.kept(i));
      }
    };
  }
}
