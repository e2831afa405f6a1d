package sparktrain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import sparktrain.io.HadoopFiles;

class CheckpointStoreTest extends CheckpointTestBase {

  private Path checkpoints() {
    return runDir.resolve("checkpoints");
  }

  @Test
  void roundTripRestoresParametersUpdaterStateManifestAndExtraFiles() throws Exception {
    CheckpointStore store = store(3);
    byte[] normalizer = "{\"mean\":[1,2,3,4]}".getBytes(StandardCharsets.UTF_8);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", 0.25);
    metrics.put("val_loss", Double.NaN);
    CheckpointMetadata meta =
        new CheckpointMetadata(
            3, 42L, "run-1", "epoch-0002", metrics, "a = 1\n", Map.of("seed", 12345));

    CheckpointInfo info = store.write(net, meta, Map.of("normalizer.json", normalizer));

    assertThat(info.name()).isEqualTo("epoch-0003");
    assertThat(info.uri()).startsWith("file:").endsWith("/checkpoints/epoch-0003");
    assertThat(info.epoch()).isEqualTo(3);
    assertThat(info.iteration()).isEqualTo(42L);
    assertThat(Files.readString(checkpoints().resolve("LATEST")).trim()).isEqualTo("epoch-0003");

    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
    assertThat(loaded.name()).isEqualTo("epoch-0003");
    assertThat(loaded.epoch()).isEqualTo(3);
    assertThat(loaded.iteration()).isEqualTo(42L);
    assertThat(loaded.runId()).isEqualTo("run-1");
    assertThat(loaded.parent()).isEqualTo("epoch-0002");
    assertThat(loaded.metrics()).containsEntry("loss", 0.25);
    assertThat(loaded.metrics().get("val_loss")).isNaN();
    assertThat(loaded.resolvedConfig()).isEqualTo("a = 1\n");
    assertThat(loaded.provenance()).containsEntry("seed", 12345);
    assertThat(loaded.extraFile("normalizer.json")).isEqualTo(normalizer);
    assertThat(loaded.extraFileNames()).containsExactly("normalizer.json");
    assertThat(loaded.manifest().networkJson())
        .isEqualTo(net.getLayerWiseConfigurations().toJson());
    assertThat(loaded.manifest().versions())
        .containsEntry("dl4j", "1.0.0-M2")
        .containsKeys("java", "sparktrain");

    MultiLayerNetwork restored = loaded.network();
    INDArray state = TinyNetworks.updaterState(net);
    assertThat(state.amaxNumber().doubleValue()).isGreaterThan(0.0);
    assertThat(restored.params()).isEqualTo(net.params());
    assertThat(TinyNetworks.updaterState(restored)).isEqualTo(state);
    assertThat(restored.getIterationCount()).isEqualTo(net.getIterationCount());
    assertThat(restored.params()).isNotEqualTo(otherNet.params());
  }

  @Test
  void manifestJsonHasTheDocumentedFieldsAndHashesOfEveryOtherFile() throws Exception {
    store(3)
        .write(
            net, TinyNetworks.meta(1, "run-1", null), Map.of("normalizer.json", new byte[] {1, 2}));
    Path dir = checkpoints().resolve("epoch-0001");

    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());

    assertThat(manifest.get("format_version").asInt()).isEqualTo(1);
    assertThat(manifest.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(manifest.get("run_id").asText()).isEqualTo("run-1");
    assertThat(manifest.get("parent").isNull()).isTrue();
    assertThat(manifest.get("epoch").asInt()).isEqualTo(1);
    assertThat(manifest.get("iteration").asLong()).isEqualTo(10L);
    assertThat(manifest.get("config").asText()).isEqualTo("training.epochs = 5\n");
    assertThat(manifest.get("provenance").get("git_commit").asText()).isEqualTo("abc123");
    assertThat(manifest.get("network_json").asText()).contains("\"nout\" : 3");
    JsonNode files = manifest.get("files");
    assertThat(files.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("model.zip", "normalizer.json");
    FileSystem fs = FileSystem.getLocal(conf);
    for (String name : List.of("model.zip", "normalizer.json")) {
      Path file = dir.resolve(name);
      assertThat(files.get(name).get("sha256").asText())
          .isEqualTo(HadoopFiles.sha256(fs, new org.apache.hadoop.fs.Path(file.toUri())));
      assertThat(files.get(name).get("bytes").asLong()).isEqualTo(Files.size(file));
    }
  }

  @Test
  void latestIsReplacedAndRetentionKeepsTheNewestTwo() throws Exception {
    CheckpointStore store = store(2);

    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    assertThat(store.latestName()).contains("epoch-0001");
    store.write(net, TinyNetworks.meta(2, "r", "epoch-0001"), Map.of());
    assertThat(Files.readString(checkpoints().resolve("LATEST")).trim()).isEqualTo("epoch-0002");
    assertThat(store.list()).containsExactly("epoch-0001", "epoch-0002");
    store.write(net, TinyNetworks.meta(3, "r", "epoch-0002"), Map.of());

    assertThat(store.latestName()).contains("epoch-0003");
    assertThat(store.list()).containsExactly("epoch-0002", "epoch-0003");
    assertThat(checkpoints().resolve("epoch-0001")).doesNotExist();
    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0003");
  }

  @Test
  void corruptedModelFallsBackToThePreviousCheckpointAndLoadNamesTheFile() throws Exception {
    CheckpointStore store = store(3);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    store.write(net, TinyNetworks.meta(2, "r", "epoch-0001"), Map.of());
    Path model = checkpoints().resolve("epoch-0002/model.zip");
    String expected = HadoopFiles.sha256(Files.readAllBytes(model));
    flipBytes(model);
    // Without the local file system's .crc side file only our SHA-256 check can notice.
    Files.delete(checkpoints().resolve("epoch-0002/.model.zip.crc"));
    String actual = HadoopFiles.sha256(Files.readAllBytes(model));

    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();

    assertThat(loaded.name()).isEqualTo("epoch-0001");
    assertThat(loaded.network().params()).isEqualTo(net.params());
    assertThatThrownBy(() -> store.load("epoch-0002"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("model.zip")
        .hasMessageContaining(expected)
        .hasMessageContaining(actual);
  }

  @Test
  void corruptionCaughtByTheFileSystemChecksumIsACorruptCheckpointToo() throws Exception {
    CheckpointStore store = store(3);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    store.write(net, TinyNetworks.meta(2, "r", "epoch-0001"), Map.of());
    flipBytes(checkpoints().resolve("epoch-0002/model.zip"));

    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0001");
    assertThatThrownBy(() -> store.load("epoch-0002"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("model.zip");
  }

  @Test
  void missingExtraFileOrUnreadableManifestIsCorrupt() throws Exception {
    CheckpointStore store = store(3);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of("normalizer.json", new byte[] {7}));
    store.write(net, TinyNetworks.meta(2, "r", null), Map.of("normalizer.json", new byte[] {8}));
    Files.delete(checkpoints().resolve("epoch-0001/normalizer.json"));
    Files.writeString(checkpoints().resolve("epoch-0002/manifest.json"), "{not json");
    Files.deleteIfExists(checkpoints().resolve("epoch-0002/.manifest.json.crc"));

    assertThatThrownBy(() -> store.load("epoch-0001"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("normalizer.json");
    assertThatThrownBy(() -> store.load("epoch-0002"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("manifest.json");
    assertThat(store.loadLatest()).isEmpty();
  }

  @Test
  void latestPointingToAMissingDirectoryFallsBack() throws Exception {
    CheckpointStore store = store(3);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    Files.writeString(checkpoints().resolve("LATEST"), "epoch-0005\n");
    Files.deleteIfExists(checkpoints().resolve(".LATEST.crc"));

    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0001");
  }

  @Test
  void emptyStoreLoadsNothing() throws Exception {
    CheckpointStore store = store(3);

    assertThat(store.loadLatest()).isEmpty();
    assertThat(store.list()).isEmpty();
    assertThat(store.latestName()).isEmpty();
  }

  @Test
  void leftoverTemporaryDirectoryIsIgnoredAndCleanedOnTheNextWrite() throws Exception {
    CheckpointStore store = store(3);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    // A crash after writing the temporary directory, before its rename.
    Path leftover = checkpoints().resolve("_tmp-epoch-0002-0000");
    Files.createDirectories(leftover);
    Files.write(leftover.resolve("model.zip"), new byte[] {1, 2, 3});

    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0001");
    assertThat(store.list()).containsExactly("epoch-0001");

    store.write(net, TinyNetworks.meta(2, "r", "epoch-0001"), Map.of());

    assertThat(leftover).doesNotExist();
    assertThat(tmpEntries()).isEmpty();
    assertThat(store.list()).containsExactly("epoch-0001", "epoch-0002");
  }

  @Test
  void staleEpochDirectoryNotNamedByLatestIsIgnoredThenReplaced() throws Exception {
    CheckpointStore store = store(3);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());
    // A crash after publishing epoch-0002 but before LATEST was replaced.
    ArtifactDirectory.write(
        FileSystem.getLocal(conf),
        new org.apache.hadoop.fs.Path(checkpoints().resolve("epoch-0002").toUri()),
        otherNet,
        TinyNetworks.meta(2, "crashed-run", null),
        Map.of("stale.txt", new byte[] {1}));

    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0001");

    store.write(net, TinyNetworks.meta(2, "new-run", "epoch-0001"), Map.of());

    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
    assertThat(loaded.name()).isEqualTo("epoch-0002");
    assertThat(loaded.runId()).isEqualTo("new-run");
    assertThat(loaded.extraFileNames()).isEmpty();
    assertThat(checkpoints().resolve("epoch-0002/stale.txt")).doesNotExist();
    assertThat(loaded.network().params()).isEqualTo(net.params());
    assertThat(tmpEntries()).isEmpty();
  }

  @Test
  void rewritingTheEpochLatestNamesReplacesItWithoutLosingTheOthers() throws Exception {
    CheckpointStore store = store(1);
    store.write(net, TinyNetworks.meta(1, "first", null), Map.of());

    store.write(otherNet, TinyNetworks.meta(1, "second", null), Map.of());

    LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
    assertThat(loaded.runId()).isEqualTo("second");
    assertThat(loaded.network().params()).isEqualTo(otherNet.params());
    assertThat(store.list()).containsExactly("epoch-0001");
    assertThat(tmpEntries()).isEmpty();
  }

  @Test
  void retentionNeverDeletesTheLatestEvenWithOlderNewerEpochsAround() throws Exception {
    CheckpointStore store = store(1);
    store.write(net, TinyNetworks.meta(5, "r", null), Map.of());
    // Resuming from an earlier checkpoint: LATEST now names epoch-0003, epoch-0005 is newer.
    store.write(net, TinyNetworks.meta(3, "r", null), Map.of());

    assertThat(store.latestName()).contains("epoch-0003");
    assertThat(store.list()).containsExactly("epoch-0003", "epoch-0005");
    assertThat(store.loadLatest().orElseThrow().name()).isEqualTo("epoch-0003");
  }

  @Test
  void rejectsBadArguments() throws Exception {
    assertThatThrownBy(() -> store(0)).hasMessageContaining("keepLast must be >= 1, got 0");
    CheckpointStore store = store(1);
    assertThatThrownBy(() -> store.load("../x")).hasMessageContaining("'../x'");
    assertThatThrownBy(
            () ->
                store.write(
                    net, TinyNetworks.meta(1, "r", null), Map.of("manifest.json", new byte[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("manifest.json");
    assertThat(tmpEntries()).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void inCheckpointsDirUsesTheDirectoryItself() throws Exception {
    CheckpointStore store =
        CheckpointStore.inCheckpointsDir(runDir.resolve("ck").toUri().toString(), conf, 2);
    store.write(net, TinyNetworks.meta(1, "r", null), Map.of());

    assertThat(runDir.resolve("ck/epoch-0001/model.zip")).exists();
    assertThat(runDir.resolve("ck/LATEST")).exists();
  }

  private List<String> tmpEntries() throws IOException {
    try (Stream<Path> entries = Files.list(checkpoints())) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.contains(HadoopFiles.TMP_PREFIX))
          .toList();
    }
  }

  static void flipBytes(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    for (int i = data.length / 2; i < data.length / 2 + 8; i++) {
      data[i] = (byte) ~data[i];
    }
    Files.write(file, data);
  }
}
