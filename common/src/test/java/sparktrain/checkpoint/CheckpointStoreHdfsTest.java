package sparktrain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sparktrain.io.HadoopFiles;
import sparktrain.testing.MiniHdfs;

/** The same atomic writes, pointer replacement and verification on a real (mini) HDFS. */
class CheckpointStoreHdfsTest {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  private static Configuration conf;
  private static FileSystem fs;
  private static MultiLayerNetwork net;
  private static MultiLayerNetwork otherNet;

  @BeforeAll
  static void trainNetworks() {
    fs = HDFS.fs();
    conf = HDFS.conf();
    net = TinyNetworks.trained(42);
    otherNet = TinyNetworks.trained(7);
  }

  private static String uri(String path) {
    return HDFS.uri(path);
  }

  @Test
  void writeAtomicallyReplacesAnExistingFile() throws Exception {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(uri("/pointer/CHAMPION"));
    HadoopFiles.writeAtomically(fs, file, "v1".getBytes(StandardCharsets.UTF_8));
    HadoopFiles.writeAtomically(fs, file, "v2".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(HadoopFiles.readAll(fs, file), StandardCharsets.UTF_8)).isEqualTo("v2");
    assertThat(fs.listStatus(file.getParent())).hasSize(1);
  }

  @Test
  void checkpointsWriteLoadAndReplaceLatestOnHdfs() throws Exception {
    CheckpointStore store = new CheckpointStore(uri("/runs/r1"), conf, 1);

    store.write(
        otherNet, TinyNetworks.meta(1, "r1", null), Map.of("normalizer.json", new byte[] {1}));
    CheckpointInfo second =
        store.write(
            net,
            TinyNetworks.meta(2, "r1", "epoch-0001"),
            Map.of("normalizer.json", new byte[] {2}));

    assertThat(second.uri()).startsWith("hdfs://").endsWith("/runs/r1/checkpoints/epoch-0002");
    assertThat(store.latestName()).contains("epoch-0002");
    assertThat(store.list()).containsExactly("epoch-0002");
    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
    assertThat(loaded.uri()).startsWith("hdfs://");
    assertThat(loaded.extraFile("normalizer.json")).containsExactly(2);
    MultiLayerNetwork restored = loaded.network();
    assertThat(restored.params()).isEqualTo(net.params());
    assertThat(TinyNetworks.updaterState(restored)).isEqualTo(TinyNetworks.updaterState(net));
  }

  @Test
  void modelDirectoryOverwriteOnHdfs() throws Exception {
    String model = uri("/runs/r2/model");
    ModelDirectory.write(model, conf, otherNet, TinyNetworks.meta(1, "old", null), Map.of());
    ModelDirectory.write(model, conf, net, TinyNetworks.meta(2, "new", null), Map.of(), true);

    LoadedCheckpoint loaded = ModelDirectory.read(model, conf);
    assertThat(loaded.runId()).isEqualTo("new");
    assertThat(loaded.network().params()).isEqualTo(net.params());
    assertThat(fs.listStatus(new org.apache.hadoop.fs.Path(uri("/runs/r2")))).hasSize(1);
  }
}
