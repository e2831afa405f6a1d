package sparktrain.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.model.NetworkFactory;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.TestJobs;

/**
 * Models and single-process references for the scoring jobs' tests: the MNIST test slice read
 * straight from its IDX bytes (no Spark, no sparktrain reader) and cut into the same minibatches
 * the jobs make (IdxDataset's contiguous partition ranges, then batches within each partition).
 */
public final class ScoringFixtures {
  /** The MLP of the MNIST tests: 784 -> 32 relu -> 10 softmax (sparse labels). */
  public static final String SMALL_MLP =
      "model.layers=[{type=dense,units=32,activation=relu},"
          + "{type=output,units=10,activation=softmax,loss=sparse-mcxent}]";

  /** A regression model: the digit's value from its pixels. */
  public static final String REGRESSION =
      "model.layers=[{type=dense,units=16,activation=relu},"
          + "{type=output,units=1,activation=identity,loss=mse}]";

  private ScoringFixtures() {}

  /** A config for the MNIST slices (see {@link TestJobs#mnistSlice}). */
  public static JobConfig config(String... extra) {
    return ConfigLoader.load(null, TestJobs.mnistSlice(null, extra));
  }

  /** A network of {@code config}'s model fitted on {@code batches} minibatches of training data. */
  public static MultiLayerNetwork trained(JobConfig config, int batches) throws IOException {
    MultiLayerNetwork net = NetworkFactory.create(config.model(), 7);
    Mnist train = Mnist.read("train", batches * 16);
    for (int b = 0; b < batches; b++) {
      net.fit(train.batch(b * 16, (b + 1) * 16, 1 / 255f));
    }
    return net;
  }

  /** Writes {@code net} as a model directory whose manifest records {@code config}. */
  public static String save(Path dir, JobConfig config, MultiLayerNetwork net) throws IOException {
    CheckpointMetadata meta =
        new CheckpointMetadata(1, 10, "test-run", null, Map.of(), config.render(), Map.of());
    return ModelDirectory.write(dir.toString(), new Configuration(), net, meta, Map.of()).uri();
  }

  /** Images and labels of an MNIST slice file pair, read from the IDX bytes. */
  public record Mnist(byte[] images, byte[] labels, int count) {
    /** The first {@code limit} records of {@code train} or {@code t10k}. */
    public static Mnist read(String prefix, int limit) throws IOException {
      Path dir = LocalSpark.resource("mnist");
      byte[] images = Files.readAllBytes(dir.resolve(prefix + "-images-idx3-ubyte"));
      byte[] labels = Files.readAllBytes(dir.resolve(prefix + "-labels-idx1-ubyte"));
      return new Mnist(images, labels, limit);
    }

    /** Label (digit) of record i. */
    public int label(int i) {
      return labels[8 + i];
    }

    /**
     * Records [from, to) as a minibatch: pixels times {@code scale} (in double precision, as {@code
     * Normalizer} scales), labels as a column.
     */
    public DataSet batch(int from, int to, float scale) {
      double exact = scale == 1 / 255f ? 1.0 / 255 : scale;
      int n = to - from;
      float[] x = new float[n * 784];
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 784; j++) {
          x[i * 784 + j] = (float) ((images[16 + (from + i) * 784 + j] & 0xff) * exact);
        }
        y[i] = label(from + i);
      }
      return new DataSet(
          Nd4j.create(x, new long[] {n, 784}, 'c'), Nd4j.create(y, new long[] {n, 1}, 'c'));
    }

    /**
     * The minibatches the jobs make of the first {@code count} records in {@code partitions}
     * partitions of {@code batchSize}: partition i holds records [count·i/p, count·(i+1)/p).
     */
    public List<DataSet> jobBatches(int partitions, int batchSize) {
      List<DataSet> out = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int from = (int) ((long) count * p / partitions);
        int to = (int) ((long) count * (p + 1) / partitions);
        for (int b = from; b < to; b += batchSize) {
          out.add(batch(b, Math.min(to, b + batchSize), 1 / 255f));
        }
      }
      return out;
    }
  }
}
