package sparktrain.data.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.data.Example;
import sparktrain.data.Normalizer;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.MiniBatches;

/**
 * The spool on real Spark ({@code local[2]}) and the local file system: written once, every example
 * exactly once per epoch over the workers' shares, the order reproducible from (seed, epoch) and
 * different between epochs, a label-sorted input mixed, both encodings exact, reused only for the
 * same key.
 */
class SpoolTest extends LocalSparkTestBase {
  private static final int N = 10_007; // not a multiple of the workers or the batch size
  private static final int WIDTH = 6;

  @TempDir Path tmp;

  /**
   * Example {@code i}: feature 0 and 1 hold {@code i} (as i / 256 and i % 256, whole numbers in [0,
   * 255], so blocks are bytes), the label is {@code i * 10 / N}: the input is sorted by label.
   */
  private static JavaRDD<Example> sortedByLabel(int partitions, boolean bytes) {
    List<Example> all = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      float[] f = new float[WIDTH];
      f[0] = i / 256;
      f[1] = i % 256;
      f[2] = bytes ? 7 : 0.25f;
      all.add(new Example(f, i * 10L / N));
    }
    return sc.parallelize(all, partitions);
  }

  private static int id(float[] row, int at) {
    return (int) row[at] * 256 + (int) row[at + 1];
  }

  private SpoolIndex write(String name, boolean shuffle, boolean bytes) throws Exception {
    return Spool.prepare(
        sc,
        sortedByLabel(3, bytes),
        tmp.resolve(name).toUri().toString(),
        "key-" + name,
        shuffle,
        42,
        4);
  }

  /** Every example's id in the order worker {@code rank} reads its share of {@code epoch}. */
  private static List<Integer> read(
      SpoolIndex index, int workers, int rank, int epoch, int buffer) {
    List<Integer> ids = new ArrayList<>();
    try (SpoolStream s =
        SpoolStream.open(
            index, workers, rank, 42, epoch, true, buffer, new Configuration(), () -> false)) {
      DataSet batch;
      while ((batch = s.next(32, MiniBatches.LabelLayout.COLUMN, 10, Normalizer.none())) != null) {
        float[] f = batch.getFeatures().dup().data().asFloat();
        float[] l = batch.getLabels().dup().data().asFloat();
        for (int i = 0; i < l.length; i++) {
          int id = id(f, i * WIDTH);
          assertThat(l[i]).as("label of example %d", id).isEqualTo((float) (id * 10L / N));
          ids.add(id);
        }
      }
    }
    return ids;
  }

  @Test
  void everyExampleExactlyOncePerEpochInAReproducibleOrderThatChangesEveryEpoch() throws Exception {
    SpoolIndex index = write("s", true, true);
    assertThat(index.examples()).isEqualTo(N);
    assertThat(index.blocks()).hasSizeGreaterThan(1);
    int workers = 3;
    int[] batches = new EpochShares(index, workers).batchesPerWorker(32);
    List<List<Integer>> epoch1 = new ArrayList<>();
    for (int epoch = 1; epoch <= 2; epoch++) {
      Set<Integer> seen = new HashSet<>();
      for (int rank = 0; rank < workers; rank++) {
        List<Integer> ids = read(index, workers, rank, epoch, 500);
        assertThat(ids.size()).isBetween(N / workers, N / workers + 1);
        assertThat((ids.size() + 31) / 32).isEqualTo(batches[rank]);
        for (int id : ids) {
          assertThat(seen.add(id)).as("example %d read twice in epoch %d", id, epoch).isTrue();
        }
        if (epoch == 1) {
          epoch1.add(ids);
          assertThat(read(index, workers, rank, 1, 500)).as("same seed, same order").isEqualTo(ids);
        } else {
          assertThat(ids).as("epoch 2 reads another order").isNotEqualTo(epoch1.get(rank));
        }
      }
      assertThat(seen).hasSize(N);
    }
  }

  @Test
  void aFileSortedByLabelGivesMinibatchesOfMixedLabels() throws Exception {
    SpoolIndex index = write("mixed", true, true);
    List<Integer> ids = read(index, 2, 0, 1, 1024);
    // the first minibatch of a label-sorted file read in order would hold one label
    Set<Long> labels = new HashSet<>();
    for (int id : ids.subList(0, 32)) {
      labels.add(id * 10L / N);
    }
    assertThat(labels).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void withoutShuffleTheSharesAreTheInputInOrder() throws Exception {
    SpoolIndex index = write("ordered", false, false);
    List<Integer> all = new ArrayList<>();
    all.addAll(readInOrder(index, 2, 0));
    all.addAll(readInOrder(index, 2, 1));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      expected.add(i);
    }
    assertThat(all).isEqualTo(expected);
  }

  private static List<Integer> readInOrder(SpoolIndex index, int workers, int rank) {
    List<Integer> ids = new ArrayList<>();
    try (SpoolStream s =
        SpoolStream.open(
            index, workers, rank, 42, 1, false, 1000, new Configuration(), () -> false)) {
      DataSet batch;
      while ((batch = s.next(100, MiniBatches.LabelLayout.COLUMN, 10, Normalizer.none())) != null) {
        float[] f = batch.getFeatures().dup().data().asFloat();
        for (int i = 0; i < batch.numExamples(); i++) {
          assertThat(f[i * WIDTH + 2]).as("float features kept exactly").isEqualTo(0.25f);
          ids.add(id(f, i * WIDTH));
        }
      }
    }
    return ids;
  }

  @Test
  void aCompleteSpoolIsReusedForTheSameKeyAndReplacedForAnother() throws Exception {
    String dir = tmp.resolve("reuse").toUri().toString();
    SpoolIndex first = Spool.prepare(sc, sortedByLabel(2, true), dir, "k1", true, 1, 2);
    SpoolIndex again = Spool.prepare(sc, sc.parallelize(List.of(), 1), dir, "k1", true, 1, 2);
    assertThat(again).isEqualTo(first);
    SpoolIndex other = Spool.prepare(sc, sortedByLabel(2, true), dir, "k2", true, 1, 2);
    assertThat(other.key()).isEqualTo("k2");
    assertThat(other.examples()).isEqualTo(N);
  }

  @Test
  void skippingExamplesContinuesTheSameStream() throws Exception {
    SpoolIndex index = write("skip", true, true);
    List<Integer> whole = read(index, 2, 1, 3, 300);
    List<Integer> rest = new ArrayList<>();
    try (SpoolStream s =
        SpoolStream.open(index, 2, 1, 42, 3, true, 300, new Configuration(), () -> false)) {
      s.skip(320);
      DataSet batch;
      while ((batch = s.next(32, MiniBatches.LabelLayout.COLUMN, 10, Normalizer.none())) != null) {
        float[] f = batch.getFeatures().dup().data().asFloat();
        for (int i = 0; i < batch.numExamples(); i++) {
          rest.add(id(f, i * WIDTH));
        }
      }
    }
    assertThat(rest).isEqualTo(whole.subList(320, whole.size()));
  }
}
