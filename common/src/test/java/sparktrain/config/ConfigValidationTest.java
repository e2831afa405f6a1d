package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sparktrain.config.TestConfigs.error;
import static sparktrain.config.TestConfigs.load;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidationTest {

  @TempDir Path dir;

  @Test
  void unknownKeyInFileNamesFileLineAndSuggestion() {
    ConfigException e = error(dir, "training {\n  epoch = 3\n}\n");

    assertThat(e.problems())
        .singleElement()
        .asString()
        .endsWith("job.conf:2): unknown key; did you mean 'training.epochs'?")
        .startsWith("training.epoch (");
  }

  @Test
  void unknownSectionReportsEachLeafWithSuggestion() {
    ConfigException e = error(dir, "trainig.epochs = 3\nfoo { bar = 1 }\n");

    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0)).startsWith("foo.bar (").endsWith(":2): unknown key");
    assertThat(e.problems().get(1))
        .startsWith("trainig.epochs (")
        .endsWith(":1): unknown key; did you mean 'training.epochs'?");
  }

  @Test
  void sectionReplacedByAValueIsAnError() {
    ConfigException e = error(dir, "training = 5\n");

    assertThat(e.getMessage()).contains("training (").contains("expected a section with keys");
  }

  @Test
  void wrongTypesSayWhatWasExpected() {
    ConfigException e =
        error(
            dir,
            """
            training.epochs = "five"
            training.batch-size-per-worker = 2.5
            training.shuffle = maybe
            model.updater.learning-rate = fast
            training.progress-interval = soon
            output.dir = [a]
            """);

    assertThat(e.problems())
        .hasSize(6)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("training.epochs (")
                    .contains("job.conf:1): expected an integer, got string \"five\""))
        .anySatisfy(p -> assertThat(p).contains(":2): expected an integer, got 2.5"))
        .anySatisfy(p -> assertThat(p).contains(":3): expected a boolean"))
        .anySatisfy(p -> assertThat(p).contains(":4): expected a number, got string"))
        .anySatisfy(p -> assertThat(p).contains(":5): expected a duration"))
        .anySatisfy(p -> assertThat(p).contains("output.dir (").contains(":6): expected a string"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "training.epochs | 0 | >= 1",
        "training.batch-size-per-worker | 0 | >= 1",
        "training.averaging-frequency | 0 | >= 1",
        "training.workers | -1 | >= 0",
        "training.prefetch | -1 | >= 0",
        "training.progress-interval | -1s | >= 0",
        "model.updater.learning-rate | 0 | > 0",
        "model.updater.epsilon | 0 | > 0",
        "model.updater.momentum | 1 | in [0, 1)",
        "model.updater.beta2 | 1.5 | in [0, 1)",
        "model.dropout | 1 | in [0, 1)",
        "model.dropout | -0.1 | in [0, 1)",
        "model.l1 | -1e-4 | >= 0",
        "model.l2 | -1 | >= 0",
        "model.input.size | 0 | >= 1",
        "checkpoint.keep-last | 0 | >= 1",
        "checkpoint.every-n-epochs | 0 | >= 1",
        "data.train-limit | -1 | >= 0",
        "data.test-limit | -5 | >= 0",
        "data.partitions | -1 | >= 0",
        "training.epochs | 3000000000 | in [-2147483648, 2147483647]",
      })
  void outOfRangeValuesAreErrors(String key, String value, String expected) {
    ConfigException e = error(dir, "\n" + key + " = " + value + "\n");

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith(key + " (")
        .contains("job.conf:2): expected ")
        .contains(expected);
  }

  @Test
  void boundaryValuesAreAccepted() {
    JobConfig job =
        load(
            dir,
            """
            training { epochs = 1, workers = 0, prefetch = 0, progress-interval = 0s }
            model { dropout = 0, l2 = 0, updater.momentum = 0 }
            checkpoint.keep-last = 1
            """);

    assertThat(job.training().epochs()).isEqualTo(1);
    assertThat(job.checkpoint().keepLast()).isEqualTo(1);
  }

  @Test
  void invalidEnumValuesListTheAllowedOnes() {
    ConfigException e =
        error(
            dir,
            """
            model.updater.type = adamx
            data.normalization = zscore
            training.rdd-approach = Export
            """);

    assertThat(e.problems())
        .containsExactly(
            "data.normalization ("
                + dir.resolve("job.conf")
                + ":2): expected one of auto, standardize, min-max, image-scale, none, got"
                + " 'zscore'",
            "model.updater.type ("
                + dir.resolve("job.conf")
                + ":1): expected one of sgd, momentum, nesterov, adam, adamw, rmsprop, got 'adamx'",
            "training.rdd-approach ("
                + dir.resolve("job.conf")
                + ":3): expected one of export, direct, got 'Export'");
  }

  @Test
  void severalProblemsAreReportedTogetherOnePerLine() {
    String file =
        TestConfigs.write(
            dir,
            """
            training {
              epochs = 0
              batch-size = 32
            }
            model.updater.type = adamx
            data.train.images = ""
            data { train.labels = a, test { images = b, labels = c } }
            """);

    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));

    assertThat(e.problems())
        .containsExactly(
            "training.batch-size ("
                + dir.resolve("job.conf")
                + ":3): unknown key; did you mean 'training.batch-size-per-worker'?",
            "data.train.images ("
                + dir.resolve("job.conf")
                + ":6): expected a path (required when data.format is idx), got \"\"",
            "model.updater.type ("
                + dir.resolve("job.conf")
                + ":5): expected one of sgd, momentum, nesterov, adam, adamw, rmsprop, got 'adamx'",
            "training.epochs (" + dir.resolve("job.conf") + ":2): expected a value >= 1, got 0");
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
  }

  @Test
  void unknownKeyInALayerNamesTheEntryAndItsLine() {
    ConfigException e =
        error(
            dir,
            """
            model.layers = [
              { type = dense, units = 16, activation = relu }
              { type = output, units = 10, activaton = softmax,
                loss = sparse-mcxent }
            ]
            """);

    assertThat(e.problems())
        .containsExactly(
            "model.layers[1].activaton ("
                + dir.resolve("job.conf")
                + ":3): unknown key in an output layer; did you mean 'activation'?",
            "model.layers[1].activation ("
                + dir.resolve("job.conf")
                + ":3): missing; required in an output layer");
  }

  @Test
  void layerStructureErrors() {
    assertThat(layersError("{ units = 10, activation = softmax, loss = mcxent }"))
        .contains("model.layers[0].type (")
        .contains("missing; required in every layer");
    assertThat(layersError("{ type = conv, units = 10, activation = softmax, loss = mcxent }"))
        .contains("model.layers[0].type (")
        .contains(
            "expected one of dense, convolution, subsampling, batch-norm, dropout, output, got 'conv'");
    assertThat(layersError("{ type = output, units = 10, activation = softmax }"))
        .contains("model.layers[0].loss (")
        .contains("missing; required in an output layer");
    assertThat(layersError("{ type = dense, units = 0, activation = relu, loss = mse }, " + OUTPUT))
        .contains("model.layers[0].units (")
        .contains("expected a value >= 1, got 0")
        .contains("model.layers[0].loss (")
        .contains("unknown key in a dense layer; only the output layer has 'loss'");
    assertThat(layersError("{ type = dense, units = 8, activation = relu }"))
        .contains("model.layers (")
        .contains("expected exactly one output layer, the last, found none");
    assertThat(layersError(OUTPUT + ", " + OUTPUT))
        .contains("expected exactly one output layer, the last, found 2 (entries [0, 1])");
    assertThat(layersError(OUTPUT + ", { type = dense, units = 8, activation = relu }"))
        .contains("expected the output layer last (entry 1), found it at entry 0");
    assertThat(layersError("dense, " + OUTPUT))
        .contains("model.layers[0] (")
        .contains("expected a layer {type, units, activation, ...}, got string \"dense\"");
    assertThat(layersError("")).contains("found none");
    assertThat(error(dir, "model.layers = 3").getMessage())
        .contains("model.layers (")
        .contains("expected a list of layers, got number 3");
  }

  @Test
  void perLayerValuesOverrideModelDefaults() {
    JobConfig job =
        load(
            dir,
            """
            model {
              l2 = 1e-4
              dropout = 0.2
              weight-init = relu
              layers = [
                { type = dense, units = 8, activation = relu, l2 = 0, l1 = 1e-5, dropout = 0.5 }
                { type = output, units = 10, activation = softmax, loss = sparse-mcxent,
                  weight-init = xavier }
              ]
            }
            """);

    assertThat(job.model().layers())
        .containsExactly(
            new LayerConfig(
                LayerType.DENSE, 8, Activation.RELU, null, 0.5, 1e-5, 0, WeightInit.RELU),
            new LayerConfig(
                LayerType.OUTPUT,
                10,
                Activation.SOFTMAX,
                LossFunction.SPARSE_MCXENT,
                0.2,
                0,
                1e-4,
                WeightInit.XAVIER));
  }

  @Test
  void outputLayerMustFitItsLoss() {
    assertThat(outputError(1, "softmax", "xent", 2))
        .contains("model.layers[1].activation (")
        .contains("softmax over 1 unit always outputs 1; for a binary output use sigmoid");
    assertThat(outputError(10, "sigmoid", "sparse-mcxent", 10))
        .contains("model.layers[1].activation (")
        .endsWith("expected softmax for loss sparse-mcxent, got sigmoid");
    assertThat(outputError(10, "identity", "mcxent", 10))
        .endsWith("expected softmax for loss mcxent, got identity");
    assertThat(outputError(10, "softmax", "xent", 10))
        .endsWith("expected sigmoid for loss xent, got softmax");
    assertThat(outputError(1, "sigmoid", "hinge", 2))
        .endsWith("expected identity or tanh for loss hinge, got sigmoid");
    assertThat(outputError(3, "softmax", "mse", 10))
        .endsWith("expected identity, sigmoid or tanh for loss mse, got softmax");
    assertThat(outputError(5, "softmax", "sparse-mcxent", 10))
        .contains("model.layers[1].units (")
        .endsWith("expected data.num-classes = 10 units for loss sparse-mcxent, got 5");
    assertThat(outputError(3, "sigmoid", "xent", 10))
        .endsWith("expected 1 (binary) or data.num-classes = 10 units for loss xent, got 3");
    assertThat(outputError(1, "sigmoid", "xent", 2000000000))
        .startsWith("data.num-classes (--set data.num-classes=2000000000): expected 2:")
        .contains("model.layers[1].units = 1 is a binary output (labels 0 and 1, loss xent)")
        .endsWith("for 2000000000 classes give the output layer 2000000000 units");
    assertThat(outputError(1, "tanh", "hinge", 3))
        .startsWith("data.num-classes (--set data.num-classes=3): expected 2:")
        .contains("model.layers[1].units = 1");
    assertThat(outputError(1, "sigmoid", "xent", 1))
        .contains("data.num-classes (--set data.num-classes=1)")
        .endsWith("expected >= 2 for classification loss xent, got 1");
  }

  @Test
  void consistentOutputLayersAreAccepted() {
    assertThat(outputLoad(1, "sigmoid", "xent", 2).model().outputLayer().units()).isEqualTo(1);
    assertThat(outputLoad(5, "sigmoid", "xent", 5).model().outputLayer().loss())
        .isEqualTo(LossFunction.XENT);
    assertThat(outputLoad(1, "identity", "mse", 1).model().outputLayer().loss().isRegression())
        .isTrue();
    assertThat(outputLoad(3, "tanh", "mae", 10).model().outputLayer().units()).isEqualTo(3);
    assertThat(outputLoad(1, "identity", "hinge", 2).model().outputLayer().loss())
        .isEqualTo(LossFunction.HINGE);
    assertThat(outputLoad(4, "softmax", "mcxent", 4).data().numClasses()).isEqualTo(4);
  }

  private static final String OUTPUT =
      "{ type = output, units = 10, activation = softmax, loss = sparse-mcxent }";

  private String layersError(String layers) {
    return error(dir, "model.layers = [" + layers + "]\n").getMessage();
  }

  private String outputError(int units, String activation, String loss, int classes) {
    ConfigException e =
        error(dir, outputLayers(units, activation, loss), "data.num-classes=" + classes);
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  private JobConfig outputLoad(int units, String activation, String loss, int classes) {
    return load(dir, outputLayers(units, activation, loss), "data.num-classes=" + classes);
  }

  private static String outputLayers(int units, String activation, String loss) {
    return "model.layers = [\n  { type = dense, units = 4, activation = relu }\n"
        + "  { type = output, units = %d, activation = %s, loss = %s }\n]\n"
            .formatted(units, activation, loss);
  }
}
