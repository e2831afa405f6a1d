package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.checkpoint.TinyNetworks;
import sparktrain.errors.JobArgumentException;
import sparktrain.registry.ModelRegistry;
import sparktrain.registry.RegistryException;

/** Every form of {@code --model PATH} on the local file system, and the errors for the others. */
class ModelLocatorTest {
  private final Configuration conf = new Configuration();

  /** A 3-2 softmax network whose parameters all equal {@code value} (to tell models apart). */
  private static MultiLayerNetwork net(double value) {
    MultiLayerNetwork net = TinyNetworks.softmax(0);
    net.params().assign(value);
    return net;
  }

  private static CheckpointMetadata meta(int epoch) {
    return new CheckpointMetadata(epoch, 10L * epoch, "run-1", null, Map.of(), "", Map.of());
  }

  private static double firstParam(ModelLocator.Located m) throws Exception {
    return m.checkpoint().network().params().getDouble(0);
  }

  @Test
  void runDirectoryResolvesToItsModel(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    ModelDirectory.write(run.resolve("model").toString(), conf, net(1), meta(2), Map.of());
    new CheckpointStore(run.toString(), conf, 3).write(net(9), meta(1), Map.of());

    ModelLocator.Located m = ModelLocator.locate(run.toString(), conf);

    assertThat(m.kind()).isEqualTo(ModelLocator.Kind.RUN_DIRECTORY);
    assertThat(m.uri()).endsWith("/run/model");
    assertThat(m.requested()).isEqualTo(run.toString());
    assertThat(firstParam(m)).isEqualTo(1.0);
  }

  @Test
  void modelAndCheckpointDirectoriesLoadThemselves(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    ModelDirectory.write(run.resolve("model").toString(), conf, net(1), meta(2), Map.of());
    CheckpointStore store = new CheckpointStore(run.toString(), conf, 3);
    store.write(net(3), meta(3), Map.of());
    store.write(net(4), meta(4), Map.of());

    ModelLocator.Located model = ModelLocator.locate(run.resolve("model").toString(), conf);
    ModelLocator.Located ck =
        ModelLocator.locate(run.resolve("checkpoints/epoch-0003").toString(), conf);

    assertThat(model.kind()).isEqualTo(ModelLocator.Kind.MODEL_DIRECTORY);
    assertThat(firstParam(model)).isEqualTo(1.0);
    assertThat(ck.kind()).isEqualTo(ModelLocator.Kind.CHECKPOINT);
    assertThat(ck.checkpoint().epoch()).isEqualTo(3);
    assertThat(firstParam(ck)).isEqualTo(3.0);
  }

  @Test
  void registryVersionsAndChampion(@TempDir Path tmp) throws Exception {
    String reg = tmp.resolve("registry/mnist").toString();
    ModelRegistry registry = ModelRegistry.open(reg, conf);
    registry.register(net(1), meta(1), Map.of(), null);
    registry.register(net(2), meta(2), Map.of(), null);
    registry.promote("v0001", "test");

    ModelLocator.Located v2 = ModelLocator.locate(reg + "@v0002", conf);
    ModelLocator.Located v2short = ModelLocator.locate(reg + "@2", conf);
    ModelLocator.Located champion = ModelLocator.locate(reg + "@champion", conf);

    assertThat(v2.kind()).isEqualTo(ModelLocator.Kind.REGISTRY_VERSION);
    assertThat(v2.uri()).endsWith("/mnist/versions/v0002");
    assertThat(firstParam(v2)).isEqualTo(2.0);
    assertThat(v2short.uri()).isEqualTo(v2.uri());
    assertThat(champion.kind()).isEqualTo(ModelLocator.Kind.REGISTRY_CHAMPION);
    assertThat(champion.uri()).endsWith("/mnist/versions/v0001");
    assertThat(firstParam(champion)).isEqualTo(1.0);
    assertThatThrownBy(() -> ModelLocator.locate(reg + "@v0007", conf))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("v0007");
  }

  @Test
  void registryWithoutChampionOrMissingRegistryIsAUserError(@TempDir Path tmp) throws Exception {
    String reg = tmp.resolve("registry/mnist").toString();
    ModelRegistry.open(reg, conf).register(net(1), meta(1), Map.of(), null);

    assertThatThrownBy(() -> ModelLocator.locate(reg + "@champion", conf))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("has no champion")
        .hasMessageContaining(reg + "@v0001");
    assertThatThrownBy(() -> ModelLocator.locate(tmp.resolve("none/mnist") + "@champion", conf))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("No model registry");
  }

  @Test
  void pathsThatNameNoModelAreArgumentErrors(@TempDir Path tmp) throws Exception {
    Path unfinished = tmp.resolve("unfinished");
    new CheckpointStore(unfinished.toString(), conf, 3).write(net(1), meta(1), Map.of());
    Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(tmp.resolve("file.zip"), "x");

    assertThatThrownBy(() -> ModelLocator.locate(tmp.resolve("missing").toString(), conf))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ModelLocator.locate(tmp.resolve("empty").toString(), conf))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("neither a model or checkpoint directory");
    assertThatThrownBy(() -> ModelLocator.locate(unfinished.toString(), conf))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("has no final model")
        .hasMessageContaining("checkpoints/epoch-0001");
    assertThatThrownBy(() -> ModelLocator.locate(tmp.resolve("file.zip").toString(), conf))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("is a file");
    assertThatThrownBy(() -> ModelLocator.locate(" ", conf))
        .isInstanceOf(JobArgumentException.class);
  }
}
