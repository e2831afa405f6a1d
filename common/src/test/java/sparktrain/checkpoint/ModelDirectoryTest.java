package sparktrain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import sparktrain.io.HadoopFiles;

class ModelDirectoryTest extends CheckpointTestBase {

  @Test
  void roundTripAndPlainModelSerializerCompatibility() throws Exception {
    String uri = runDir.resolve("model").toUri().toString();

    CheckpointInfo info =
        ModelDirectory.write(
            uri,
            conf,
            net,
            TinyNetworks.meta(4, "run-9", "epoch-0004"),
            Map.of("normalizer.json", new byte[] {1, 2, 3}));
    LoadedCheckpoint loaded = ModelDirectory.read(uri, conf);

    assertThat(info.name()).isEqualTo("model");
    assertThat(info.epoch()).isEqualTo(4);
    assertThat(loaded.name()).isEqualTo("model");
    assertThat(loaded.runId()).isEqualTo("run-9");
    assertThat(loaded.parent()).isEqualTo("epoch-0004");
    assertThat(loaded.extraFile("normalizer.json")).containsExactly(1, 2, 3);
    MultiLayerNetwork restored = loaded.network();
    assertThat(restored.params()).isEqualTo(net.params());
    assertThat(TinyNetworks.updaterState(restored)).isEqualTo(TinyNetworks.updaterState(net));

    MultiLayerNetwork plain =
        ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model/model.zip").toFile());
    assertThat(plain.params()).isEqualTo(net.params());
    assertThat(siblingTemporaries()).isEmpty();
  }

  @Test
  void refusesToOverwriteUnlessAskedThenReplacesWholly() throws Exception {
    String uri = runDir.resolve("model").toUri().toString();
    ModelDirectory.write(
        uri, conf, net, TinyNetworks.meta(1, "old", null), Map.of("old.txt", new byte[] {1}));

    assertThatThrownBy(
            () ->
                ModelDirectory.write(
                    uri, conf, otherNet, TinyNetworks.meta(2, "new", null), Map.of()))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("model");
    assertThat(ModelDirectory.read(uri, conf).runId()).isEqualTo("old");

    ModelDirectory.write(uri, conf, otherNet, TinyNetworks.meta(2, "new", null), Map.of(), true);

    LoadedCheckpoint loaded = ModelDirectory.read(uri, conf);
    assertThat(loaded.runId()).isEqualTo("new");
    assertThat(loaded.network().params()).isEqualTo(otherNet.params());
    assertThat(runDir.resolve("model/old.txt")).doesNotExist();
    assertThat(siblingTemporaries()).isEmpty();
  }

  @Test
  void readVerifiesHashes() throws Exception {
    String uri = runDir.resolve("model").toUri().toString();
    ModelDirectory.write(
        uri, conf, net, TinyNetworks.meta(1, "r", null), Map.of("normalizer.json", new byte[] {5}));
    Files.write(runDir.resolve("model/normalizer.json"), new byte[] {6});
    Files.delete(runDir.resolve("model/.normalizer.json.crc"));

    assertThatThrownBy(() -> ModelDirectory.read(uri, conf))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("normalizer.json")
        .hasMessageContaining(HadoopFiles.sha256(new byte[] {5}))
        .hasMessageContaining(HadoopFiles.sha256(new byte[] {6}));
  }

  private List<String> siblingTemporaries() throws Exception {
    try (Stream<Path> entries = Files.list(runDir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.contains(HadoopFiles.TMP_PREFIX))
          .toList();
    }
  }
}
