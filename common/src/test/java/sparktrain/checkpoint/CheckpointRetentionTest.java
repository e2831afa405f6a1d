package sparktrain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import sparktrain.io.HadoopFiles;

/**
 * Keep-best retention, checkpoints within an epoch ({@code epoch-NNNN-round-NNNN}) and the
 * object-store way of writing (no directory rename), on the local Hadoop file system.
 */
class CheckpointRetentionTest extends CheckpointTestBase {
  private static final CheckpointStore.BestMetric ACCURACY =
      new CheckpointStore.BestMetric("accuracy", true);
  private static final CheckpointStore.BestMetric LOSS =
      new CheckpointStore.BestMetric("loss", false);

  private static CheckpointMetadata meta(int epoch, String metric, double value) {
    return new CheckpointMetadata(
        epoch, 10L * epoch, "r", null, Map.of(metric, value), "", Map.of());
  }

  @Test
  void keepBestKeepsTheBestByAccuracyBesidesTheNewest() throws Exception {
    CheckpointStore store = store(1).withBestKept(ACCURACY);
    double[] accuracy = {0.5, 0.9, 0.7, 0.6};
    for (int e = 1; e <= accuracy.length; e++) {
      store.write(net, meta(e, "accuracy", accuracy[e - 1]), Map.of());
    }

    assertThat(store.list()).containsExactly("epoch-0002", "epoch-0004");
    assertThat(store.best()).contains("epoch-0002");
    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0004");

    // A new best: the old best goes, the newest (which is the best) stays.
    store.write(net, meta(5, "accuracy", 0.95), Map.of());
    assertThat(store.list()).containsExactly("epoch-0005");
  }

  @Test
  void keepBestByLossKeepsTheLowestAndIgnoresCheckpointsWithoutTheMetric() throws Exception {
    CheckpointStore store = store(1).withBestKept(LOSS);
    store.write(net, meta(1, "loss", 0.8), Map.of());
    store.write(net, meta(2, "loss", 0.3), Map.of());
    store.write(net, meta(3, "loss", Double.NaN), Map.of());
    store.writeWithinEpoch(net, meta(3, "other", 0.0), 4, Map.of());
    store.write(net, meta(4, "loss", 0.5), Map.of());

    assertThat(store.list()).containsExactly("epoch-0002", "epoch-0004");
    assertThat(store.best()).contains("epoch-0002");
  }

  @Test
  void withoutKeepBestOnlyTheNewestAreKept() throws Exception {
    CheckpointStore store = store(1);
    store.write(net, meta(1, "accuracy", 0.9), Map.of());
    store.write(net, meta(2, "accuracy", 0.1), Map.of());

    assertThat(store.list()).containsExactly("epoch-0002");
    assertThat(store.best()).isEmpty();
  }

  @Test
  void checkpointsWithinAnEpochSortBetweenEpochsAndAreResumable() throws Exception {
    CheckpointStore store = store(10);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    CheckpointInfo round2 =
        store.writeWithinEpoch(otherNet, TinyNetworks.meta(1, "r", "epoch-0001"), 2, Map.of());
    store.writeWithinEpoch(net, TinyNetworks.meta(1, "r", round2.name()), 10, Map.of());

    assertThat(round2.name()).isEqualTo("epoch-0002-round-0002");
    assertThat(store.latestName()).contains("epoch-0002-round-0010");
    assertThat(store.list())
        .containsExactly("epoch-0001", "epoch-0002-round-0002", "epoch-0002-round-0010");
    assertThat(CheckpointStore.completedEpochsOf("epoch-0002-round-0010")).isEqualTo(1);
    assertThat(CheckpointStore.roundOf("epoch-0002-round-0010")).isEqualTo(10);
    assertThat(CheckpointStore.roundOf("epoch-0002")).isZero();
    assertThat(CheckpointStore.completedEpochsOf("epoch-0002")).isEqualTo(2);

    store.write(net, TinyNetworks.meta(2, "r", "epoch-0002-round-0010"), Map.of());
    assertThat(store.list()).endsWith("epoch-0002-round-0010", "epoch-0002");

    // The newest is corrupt: loading falls back to the last checkpoint within epoch 2.
    Path model = runDir.resolve("checkpoints/epoch-0002/model.zip");
    CheckpointStoreTest.flipBytes(model);
    Files.delete(runDir.resolve("checkpoints/epoch-0002/.model.zip.crc"));
    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
    assertThat(loaded.name()).isEqualTo("epoch-0002-round-0010");
    assertThat(loaded.epoch()).isEqualTo(1);
    assertThat(loaded.network().params()).isEqualTo(net.params());
  }

  @Test
  void roundNamesAreValidated() {
    assertThatThrownBy(() -> CheckpointStore.roundCheckpointName(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckpointStore.roundOf("epoch-0000-round-0003"))
        .hasMessageContaining("epoch-0000-round-0003");
    assertThatThrownBy(() -> CheckpointStore.roundOf("epoch-0002-round-0000"))
        .hasMessageContaining("epoch-0002-round-0000");
    assertThat(CheckpointStore.roundCheckpointName(0, 3)).isEqualTo("epoch-0001-round-0003");
  }

  @Test
  void directWritesNeverRenameAndAnUnfinishedDirectoryIsNotACheckpoint() throws Exception {
    CheckpointStore store = store(2).withDirectWrites();
    assertThat(store.publishesByRename()).isFalse();
    assertThat(store(2).publishesByRename()).isTrue();
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of("normalizer.json", new byte[] {1}));
    assertThat(tmpEntries()).isEmpty();

    // A crash while writing epoch 2 in place: model.zip there, no manifest, LATEST not replaced.
    Path unfinished = runDir.resolve("checkpoints/epoch-0002");
    Files.createDirectories(unfinished);
    Files.write(unfinished.resolve("model.zip"), new byte[] {1, 2, 3});

    assertThat(store.list()).containsExactly("epoch-0001");
    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0001");

    store.write(otherNet, TinyNetworks.meta(2, "r", "epoch-0001"), Map.of());
    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
    assertThat(loaded.name()).isEqualTo("epoch-0002");
    assertThat(loaded.network().params()).isEqualTo(otherNet.params());
    assertThat(tmpEntries()).isEmpty();
    assertThat(store.list()).containsExactly("epoch-0001", "epoch-0002");
  }

  @Test
  void objectStoresAreWrittenWithoutRename() {
    assertThat(CheckpointStore.renamesAtomically("s3a")).isFalse();
    assertThat(CheckpointStore.renamesAtomically("GS")).isFalse();
    assertThat(CheckpointStore.renamesAtomically("hdfs")).isTrue();
    assertThat(CheckpointStore.renamesAtomically("file")).isTrue();
  }

  private Stream<String> tmpStream() throws IOException {
    return Files.list(runDir.resolve("checkpoints")).map(p -> p.getFileName().toString());
  }

  private java.util.List<String> tmpEntries() throws IOException {
    try (Stream<String> s = tmpStream()) {
      return s.filter(n -> n.startsWith(HadoopFiles.TMP_PREFIX)).toList();
    }
  }
}
