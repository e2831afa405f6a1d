package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.config.TestConfigs.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  /** The shipped example, relative to the common module (Maven's working directory). */
  static final String MNIST_CONF = "../conf/mnist-mlp.conf";

  @TempDir Path dir;

  @Test
  void mnistMlpConfLoads() {
    JobConfig job = ConfigLoader.load(MNIST_CONF, List.of());

    assertThat(job.workload()).isEqualTo("mnist-mlp");
    assertThat(job.data().train())
        .isEqualTo(
            new SplitPaths(
                "data/mnist/train-images-idx3-ubyte", "data/mnist/train-labels-idx1-ubyte"));
    assertThat(job.data().test())
        .isEqualTo(
            new SplitPaths(
                "data/mnist/t10k-images-idx3-ubyte", "data/mnist/t10k-labels-idx1-ubyte"));
    assertThat(job.model().input()).isEqualTo(InputConfig.feedForward(784));
    assertThat(job.model().layers())
        .extracting(
            LayerConfig::type, LayerConfig::units, LayerConfig::activation, LayerConfig::loss)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LayerType.DENSE, 128, Activation.RELU, null),
            org.assertj.core.groups.Tuple.tuple(
                LayerType.OUTPUT, 10, Activation.SOFTMAX, LossFunction.SPARSE_MCXENT));
    assertThat(job.model().updater().type()).isEqualTo(UpdaterType.ADAM);
    assertThat(job.model().updater().learningRate()).isEqualTo(1e-3);
    assertThat(job.training().epochs()).isEqualTo(5);
    assertThat(job.training().seed()).isEqualTo(12345);
  }

  @Test
  void renderedConfigLoadsBackToAnEqualJobConfig() throws Exception {
    JobConfig job =
        ConfigLoader.load(
            MNIST_CONF,
            List.of(
                "output.dir=hdfs://nn:8020/runs/a b",
                "training.progress-interval=1500ms",
                "model.updater.epsilon=1e-7",
                "model.l2=0.0005",
                "workload=\"quotes \\\" and ${dollars}\""));
    Path file = Files.writeString(dir.resolve("config.conf"), job.render());

    JobConfig reloaded = ConfigLoader.load(file.toString(), List.of());

    assertThat(reloaded).isEqualTo(job);
    assertThat(reloaded.workload()).isEqualTo("quotes \" and ${dollars}");
    assertThat(reloaded.training().progressInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(reloaded.render()).isEqualTo(job.render());
    assertThat(reloaded.fingerprint()).isEqualTo(job.fingerprint());
  }

  @Test
  void fingerprintIsSha256HexAndIgnoresSpellingButNotModelOrTraining() {
    String base = load(dir, "model.updater.learning-rate = 0.001").fingerprint();

    assertThat(base).matches("[0-9a-f]{64}");
    assertThat(load(dir, "model.updater.learning-rate = 1e-3").fingerprint()).isEqualTo(base);
    assertThat(load(dir, "output.dir = elsewhere").fingerprint()).isEqualTo(base);
    assertThat(load(dir, "checkpoint.keep-last = 9").fingerprint()).isEqualTo(base);
    assertThat(load(dir, "model.updater.learning-rate = 0.002").fingerprint()).isNotEqualTo(base);
    assertThat(load(dir, "training.seed = 1").fingerprint()).isNotEqualTo(base);
    assertThat(load(dir, "model.dropout = 0.1").fingerprint()).isNotEqualTo(base);
  }

  @Test
  void fingerprintComparesResolvedLayersNotHowTheyAreWritten() {
    String defaults = load(dir, "").fingerprint();
    String explicit =
        load(
                dir,
                """
                model.layers = [
                  { type = dense, units = 128, activation = relu, dropout = 0, l1 = 0.0 }
                  { type = output, units = 10, activation = softmax, loss = sparse-mcxent,
                    weight-init = xavier }
                ]
                """)
            .fingerprint();

    assertThat(explicit).isEqualTo(defaults);
  }
}
