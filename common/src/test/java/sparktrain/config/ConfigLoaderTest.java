package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.config.TestConfigs.PATHS;
import static sparktrain.config.TestConfigs.error;
import static sparktrain.config.TestConfigs.load;
import static sparktrain.config.TestConfigs.sets;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void referenceDefaultsLoadWithOnlyTheRequiredPathsSet() {
    JobConfig job = ConfigLoader.load(null, PATHS);

    assertThat(job.workload()).isEqualTo("unnamed");
    assertThat(job.data())
        .isEqualTo(
            new DataConfig(
                DataFormat.IDX,
                "",
                new SplitPaths("train-images", "train-labels"),
                new SplitPaths("", ""),
                new SplitPaths("test-images", "test-labels"),
                new SplitFractions(0, 0.2),
                new CsvOptions(true, ','),
                0,
                new ColumnsConfig("", List.of(), List.of(), List.of(), LabelEncoding.AUTO),
                BadRowPolicy.FAIL,
                0,
                0,
                0,
                10,
                Normalization.IMAGE_SCALE,
                0,
                Task.CLASSIFICATION,
                12345));
    assertThat(job.model())
        .isEqualTo(
            new ModelConfig(
                InputConfig.feedForward(784),
                List.of(
                    new LayerConfig(
                        LayerType.DENSE, 128, Activation.RELU, null, 0, 0, 0, WeightInit.XAVIER),
                    new LayerConfig(
                        LayerType.OUTPUT,
                        10,
                        Activation.SOFTMAX,
                        LossFunction.SPARSE_MCXENT,
                        0,
                        0,
                        0,
                        WeightInit.XAVIER)),
                WeightInit.XAVIER,
                0,
                0,
                0,
                new UpdaterConfig(
                    UpdaterType.ADAM,
                    0.001,
                    0.9,
                    0.9,
                    0.999,
                    1e-8,
                    0.01,
                    new ScheduleConfig(ScheduleType.NONE, ScheduleUnit.EPOCH, 0.1, 1, 0, 0))));
    assertThat(job.training())
        .isEqualTo(
            new TrainingConfig(
                5,
                32,
                5,
                0,
                2,
                RddApproach.EXPORT,
                RepartitionPolicy.WHEN_WORKERS_DIFFER,
                2,
                12345,
                true,
                true,
                Duration.ofSeconds(10),
                TrainingEngineKind.BARRIER,
                Duration.ofMinutes(2),
                DataPath.STREAM,
                ShuffleBufferSize.auto(),
                "",
                RingSecurity.AUTO,
                EarlyStoppingConfig.OFF,
                PlateauConfig.OFF,
                ClassWeightsConfig.NONE));
    assertThat(job.checkpoint()).isEqualTo(new CheckpointConfig("", 1, 3));
    assertThat(job.output()).isEqualTo(new OutputConfig(""));
  }

  @Test
  void referenceIsOnlyOurOwnFile() {
    assertThat(ConfigLoader.reference().root().keySet())
        .containsExactlyInAnyOrder(
            "workload",
            "data",
            "model",
            "training",
            "checkpoint",
            "output",
            "retrain",
            "evaluation");
  }

  @Test
  void withoutPathsTheFourRequiredPathsAreReportedTogether() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of()));

    assertThat(e.problems())
        .hasSize(4)
        .allMatch(
            p -> p.contains("reference.conf:") && p.contains("required when data.format is idx"));
    assertThat(e.problems().get(0))
        .startsWith("data.train.images (")
        .contains("reference.conf:17)");
    assertThat(e.getMessage().split("\n")).hasSize(4);
  }

  @Test
  void fileOverridesReferenceAndLaterSetOverridesEarlierSet() {
    JobConfig job =
        load(
            dir,
            """
            training { epochs = 7, batch-size-per-worker = 64 }
            model.updater.type = sgd
            """,
            "training.epochs=3",
            "training.epochs=4",
            "model.updater.learning-rate=1e-2");

    assertThat(job.training().epochs()).isEqualTo(4);
    assertThat(job.training().batchSizePerWorker()).isEqualTo(64);
    assertThat(job.training().averagingFrequency()).isEqualTo(5);
    assertThat(job.model().updater().type()).isEqualTo(UpdaterType.SGD);
    assertThat(job.model().updater().learningRate()).isEqualTo(0.01);
    assertThat(job.model().updater().beta2()).isEqualTo(0.999);
  }

  @Test
  void setValuesAreHoconExceptPlainTextForStringKeys() {
    JobConfig job =
        ConfigLoader.load(
            null,
            sets(
                "output.dir=/x",
                "checkpoint.dir=hdfs://nn:8020/ckpt//a # b",
                "workload=\"quoted name\"",
                "training.shuffle=false",
                "training.progress-interval=500ms",
                "training.seed=9000000000",
                "model.layers=[{type=dense, units=64, activation=tanh}, "
                    + "{type=dense, units=32, activation=leaky-relu}, "
                    + "{type=output, units=10, activation=softmax, loss=mcxent}]"));

    assertThat(job.output().dir()).isEqualTo("/x");
    assertThat(job.checkpoint().dir()).isEqualTo("hdfs://nn:8020/ckpt//a # b");
    assertThat(job.workload()).isEqualTo("quoted name");
    assertThat(job.training().shuffle()).isFalse();
    assertThat(job.training().progressInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(job.training().seed()).isEqualTo(9_000_000_000L);
    assertThat(job.model().layers())
        .extracting(LayerConfig::units, LayerConfig::activation)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(64, Activation.TANH),
            org.assertj.core.groups.Tuple.tuple(32, Activation.LEAKY_RELU),
            org.assertj.core.groups.Tuple.tuple(10, Activation.SOFTMAX));
    assertThat(job.model().outputLayer().loss()).isEqualTo(LossFunction.MCXENT);
  }

  @Test
  void setWithoutEqualsSignIsAnError() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(null, sets("training.epochs", "x=")));

    assertThat(e.problems().get(0)).isEqualTo("--set training.epochs: expected key=value");
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void setOfAMisspeltKeySuggestsTheRightOne() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(null, sets("training.epoch=3")));

    assertThat(e.problems())
        .containsExactly(
            "training.epoch (--set training.epoch=3): unknown key; did you mean 'training.epochs'?");
  }

  @Test
  void setValueErrorsNameTheSetArgument() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(null, sets("training.epochs=0", "training.workers=[1")));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).startsWith("--set training.workers=[1: ");
  }

  @Test
  void setValueOutOfRangeNamesTheSetArgument() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(null, sets("training.epochs=0")));

    assertThat(e.problems())
        .containsExactly("training.epochs (--set training.epochs=0): expected a value >= 1, got 0");
  }

  @Test
  void missingConfigFileIsAnErrorNamingThePath() {
    String missing = dir.resolve("nope.conf").toString();

    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, PATHS));

    assertThat(e.getMessage()).contains(missing).contains("not found");
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    ConfigException e = error(dir, "training {\n  epochs = 3\n  seed = [1, 2\n}\n");

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).matches("\\S*job\\.conf:[34]: .*");
  }

  @Test
  void unresolvedSubstitutionIsAnError() {
    ConfigException e = error(dir, "workload = ${no-such-key}\n");

    assertThat(e.getMessage()).contains("job.conf:1").contains("no-such-key");
  }

  @Test
  void substitutionsResolveAcrossLayers() {
    JobConfig job = load(dir, "workload = \"w\"\noutput.dir = \"runs/\"${workload}\n");

    assertThat(job.output().dir()).isEqualTo("runs/w");
  }

  @Test
  void fromConfigLayersTheGivenConfigOverReference() {
    JobConfig job =
        ConfigLoader.fromConfig(
            ConfigFactory.parseString(
                "training.epochs = 2\n"
                    + "data { train { images = a, labels = b }, test { images = c, labels = d } }"));

    assertThat(job.training().epochs()).isEqualTo(2);
    assertThat(job.training().seed()).isEqualTo(12345);
    assertThat(job.data().test()).isEqualTo(new SplitPaths("c", "d"));
  }

  @Test
  void theX20ConfigIsTheMnistMlpWithItsDataEpochsAndACosineDecay() {
    JobConfig mlp = ConfigLoader.load("../conf/mnist-mlp.conf", List.of());
    JobConfig x20 = ConfigLoader.load("../conf/mnist-mlp-x20.conf", List.of());

    assertThat(x20.data().train().images()).isEqualTo("data/mnist-x20/train-images-idx3-ubyte");
    assertThat(x20.data().test()).isEqualTo(mlp.data().test());
    assertThat(x20.model().layers()).isEqualTo(mlp.model().layers());
    assertThat(x20.model().updater().learningRate()).isEqualTo(2e-3);
    assertThat(x20.model().updater().schedule())
        .isEqualTo(
            new ScheduleConfig(ScheduleType.COSINE, ScheduleUnit.ITERATION, 0.1, 1, 56280, 1e-5));
    assertThat(x20.training().epochs()).isEqualTo(3);
    assertThat(x20.training().batchSizePerWorker()).isEqualTo(mlp.training().batchSizePerWorker());
  }
}
