package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.config.TestConfigs.error;
import static sparktrain.config.TestConfigs.load;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The model section's layer types, input shapes, updaters and schedules: values and errors. */
class ModelValidationTest {

  private static final String IMAGE = "model.input { type = image, height = 28, width = 28 }\n";
  private static final String OUTPUT =
      "{ type = output, units = 10, activation = softmax, loss = sparse-mcxent }";

  @TempDir Path dir;

  @Test
  void lenetConfLoadsWithImageInputAndWindows() {
    JobConfig job = ConfigLoader.load("../conf/mnist-lenet.conf", List.of());

    ModelConfig model = job.model();
    assertThat(model.input()).isEqualTo(InputConfig.image(28, 28, 1));
    assertThat(model.input().size()).isEqualTo(784);
    assertThat(model.layers())
        .extracting(LayerConfig::type)
        .containsExactly(
            LayerType.CONVOLUTION,
            LayerType.SUBSAMPLING,
            LayerType.CONVOLUTION,
            LayerType.SUBSAMPLING,
            LayerType.DENSE,
            LayerType.OUTPUT);
    KernelConfig five =
        new KernelConfig(
            Size2D.square(5), Size2D.square(1), Size2D.square(0), ConvolutionMode.TRUNCATE);
    KernelConfig pool =
        new KernelConfig(
            Size2D.square(2), Size2D.square(2), Size2D.square(0), ConvolutionMode.TRUNCATE);
    assertThat(model.layers().get(0))
        .isEqualTo(
            new LayerConfig(
                LayerType.CONVOLUTION,
                20,
                Activation.RELU,
                null,
                0,
                0,
                0,
                WeightInit.XAVIER,
                five,
                null));
    assertThat(model.layers().get(1))
        .isEqualTo(
            new LayerConfig(
                LayerType.SUBSAMPLING, 0, null, null, 0, 0, 0, null, pool, PoolingType.MAX));
    assertThat(model.layers().get(2).units()).isEqualTo(50);
  }

  @Test
  void windowDefaultsAndSpellings() {
    JobConfig job =
        load(
            dir,
            IMAGE
                + """
                model.dropout = 0.1
                model.layers = [
                  { type = convolution, filters = 4, kernel = [3, 2], activation = tanh,
                    padding = 1 }
                  { type = subsampling, pooling = avg, kernel = 3 }
                  { type = convolution, filters = 4, kernel = 3, stride = [2, 1],
                    convolution-mode = same, activation = relu }
                  { type = subsampling, pooling = max, kernel = 2, stride = 1 }
                  { type = batch-norm }
                  { type = dropout, dropout = 0.25 }
                  %s
                ]
                """
                    .formatted(OUTPUT));

    List<LayerConfig> layers = job.model().layers();
    assertThat(layers.get(0).kernel())
        .isEqualTo(
            new KernelConfig(
                new Size2D(3, 2), Size2D.square(1), Size2D.square(1), ConvolutionMode.TRUNCATE));
    assertThat(layers.get(0).dropout()).isEqualTo(0.1);
    // A subsampling layer's stride defaults to its kernel.
    assertThat(layers.get(1).kernel().stride()).isEqualTo(Size2D.square(3));
    assertThat(layers.get(1).pooling()).isEqualTo(PoolingType.AVG);
    assertThat(layers.get(2).kernel())
        .isEqualTo(
            new KernelConfig(
                Size2D.square(3), new Size2D(2, 1), Size2D.square(0), ConvolutionMode.SAME));
    assertThat(layers.get(3).kernel().stride()).isEqualTo(Size2D.square(1));
    // Model defaults reach only the layers with weights.
    assertThat(layers.get(3).dropout()).isZero();
    assertThat(layers.get(4))
        .isEqualTo(
            new LayerConfig(LayerType.BATCH_NORM, 0, Activation.IDENTITY, null, 0, 0, 0, null));
    assertThat(layers.get(5))
        .isEqualTo(new LayerConfig(LayerType.DROPOUT, 0, null, null, 0.25, 0, 0, null));
  }

  @Test
  void convolutionNeedsAnImageNotYetFlattened() {
    assertThat(
            only(
                "model.layers = [\n"
                    + "  { type = convolution, filters = 4, kernel = 3, activation = relu }\n"
                    + "  "
                    + OUTPUT
                    + "\n]\n"))
        .isEqualTo(
            "model.layers[0].type ("
                + file()
                + ":2): a convolution layer needs an image input: set model.input.type = image"
                + " (with height, width and channels)");
    assertThat(
            only(
                IMAGE
                    + "model.layers = [\n"
                    + "  { type = batch-norm }\n"
                    + "  { type = dense, units = 8, activation = relu }\n"
                    + "  { type = dropout, dropout = 0.5 }\n"
                    + "  { type = subsampling, pooling = max, kernel = 2 }\n"
                    + "  "
                    + OUTPUT
                    + "\n]\n"))
        .isEqualTo(
            "model.layers[3].type ("
                + file()
                + ":6): a subsampling layer cannot follow the dense layer at entry 1 (its output"
                + " is flat)");
  }

  @Test
  void kernelMustFitTheImageItGets() {
    // 28 -> 24 -> 12 -> 8 -> 4: a third 5x5 convolution does not fit 4x4.
    String conv = "  { type = convolution, filters = 2, kernel = 5, activation = relu }\n";
    String pool = "  { type = subsampling, pooling = max, kernel = 2 }\n";
    assertThat(only(IMAGE + "model.layers = [\n" + conv + pool + conv + pool + conv + OUTPUT + "]"))
        .isEqualTo(
            "model.layers[4].kernel ("
                + file()
                + ":7): expected a kernel that fits this layer's 4x4 input, got 5x5");
    assertThat(
            only(
                "model.input { type = image, height = 3, width = 8, channels = 2 }\n"
                    + "model.layers = [\n"
                    + "  { type = convolution, filters = 2, kernel = [6, 2], padding = 1,"
                    + " activation = relu }\n"
                    + OUTPUT
                    + "]"))
        .endsWith(":3): expected a kernel that fits this layer's 3x8 input padded by 1x1, got 6x2");
    // Padding makes it fit; same mode always fits.
    assertThat(
            load(
                    dir,
                    "model.input { type = image, height = 3, width = 8, channels = 2 }\n"
                        + "model.layers = [\n"
                        + "  { type = convolution, filters = 2, kernel = [5, 2], padding = 1,"
                        + " activation = relu }\n"
                        + "  { type = convolution, filters = 2, kernel = 9,"
                        + " convolution-mode = same, activation = relu }\n"
                        + OUTPUT
                        + "]")
                .model()
                .layers())
        .hasSize(3);
  }

  @Test
  void windowValuesAreChecked() {
    ConfigException e =
        error(
            dir,
            IMAGE
                + """
                model.layers = [
                  { type = convolution, filters = 0, kernel = [5], activation = relu }
                  { type = convolution, filters = 2, kernel = [5, 2.5], stride = 0, activation = relu }
                  { type = convolution, filters = 2, kernel = five, padding = [-1, 0],
                    activation = relu }
                  { type = convolution, filters = 2, kernel = 3, padding = 1,
                    convolution-mode = same, activation = relu }
                  { type = subsampling, pooling = min, kernel = 2, convolution-mode = valid }
                  %s
                ]
                """
                    .formatted(OUTPUT));

    String f = file();
    assertThat(e.problems())
        .containsExactly(
            "model.layers[0].filters (" + f + ":3): expected a value >= 1, got 0",
            "model.layers[0].kernel ("
                + f
                + ":3): expected an integer or a list [height, width] of two integers, got list"
                + " [5]",
            "model.layers[1].kernel ("
                + f
                + ":4): expected an integer or a list [height, width] of two integers, got list"
                + " [5,2.5]",
            "model.layers[1].stride (" + f + ":4): expected values >= 1, got 0",
            "model.layers[2].kernel ("
                + f
                + ":5): expected an integer or a list [height, width] of two integers, got string"
                + " \"five\"",
            "model.layers[2].padding (" + f + ":5): expected values >= 0, got [-1,0]",
            "model.layers[3].padding ("
                + f
                + ":7): expected 0 with convolution-mode same (it pads as needed), got 1x1",
            "model.layers[4].convolution-mode ("
                + f
                + ":9): expected one of truncate, same, got 'valid'",
            "model.layers[4].pooling (" + f + ":9): expected one of max, avg, got 'min'");
  }

  @Test
  void eachLayerTypeHasItsRequiredAndAllowedKeys() {
    ConfigException e =
        error(
            dir,
            IMAGE
                + """
                model.layers = [
                  { type = convolution, units = 8 }
                  { type = subsampling, activation = relu }
                  { type = batch-norm, filter = 3 }
                  { type = dropout }
                  { type = dense, units = 8, activation = relu, filters = 3, kernel = 2 }
                  %s
                ]
                """
                    .formatted(OUTPUT));

    String f = file();
    assertThat(e.problems())
        .containsExactly(
            "model.layers[0].units ("
                + f
                + ":3): unknown key in a convolution layer; a convolution layer's units are its"
                + " 'filters'",
            "model.layers[0].filters (" + f + ":3): missing; required in a convolution layer",
            "model.layers[0].activation (" + f + ":3): missing; required in a convolution layer",
            "model.layers[0].kernel (" + f + ":3): missing; required in a convolution layer",
            "model.layers[1].activation ("
                + f
                + ":4): unknown key in a subsampling layer; only dense, convolution, batch-norm"
                + " and output layers have 'activation'",
            "model.layers[1].kernel (" + f + ":4): missing; required in a subsampling layer",
            "model.layers[1].pooling (" + f + ":4): missing; required in a subsampling layer",
            "model.layers[2].filter (" + f + ":5): unknown key in a batch-norm layer",
            "model.layers[3].dropout (" + f + ":6): missing; required in a dropout layer",
            "model.layers[4].filters ("
                + f
                + ":7): unknown key in a dense layer; only convolution layers have 'filters'",
            "model.layers[4].kernel ("
                + f
                + ":7): unknown key in a dense layer; only convolution and subsampling layers"
                + " have 'kernel'");
  }

  @Test
  void typoInAConvolutionKeySuggestsTheKey() {
    assertThat(
            only(
                IMAGE
                    + "model.layers = [\n"
                    + "  { type = convolution, filters = 2, kernal = 3, kernel = 3,"
                    + " activation = relu }\n"
                    + OUTPUT
                    + "]"))
        .isEqualTo(
            "model.layers[0].kernal ("
                + file()
                + ":3): unknown key in a convolution layer; did you mean 'kernel'?");
  }

  @Test
  void dropoutLayerNeedsAPositiveRate() {
    String layers = "model.layers = [\n  { type = dropout, dropout = %s }\n" + OUTPUT + "]";
    assertThat(only(layers.formatted("0")))
        .endsWith(
            "model.layers[0].dropout ("
                + file()
                + ":2): expected a value in (0, 1) in a dropout layer, got 0");
    assertThat(only(layers.formatted("1"))).endsWith(":2): expected a value in [0, 1), got 1");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "model.input.height | 0 | >= 1",
        "model.input.width | -2 | >= 1",
        "model.input.channels | 0 | >= 1",
        "model.updater.weight-decay | -0.1 | >= 0",
        "model.updater.schedule.decay | 0 | in (0, 1]",
        "model.updater.schedule.decay | 1.5 | in (0, 1]",
        "model.updater.schedule.step | 0 | >= 1",
        "model.updater.schedule.period | -1 | >= 0",
        "model.updater.schedule.min-learning-rate | -0.5 | >= 0",
      })
  void newModelValuesOutOfRangeAreErrors(String key, String value, String expected) {
    ConfigException e = error(dir, "\n" + key + " = " + value + "\n");

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith(key + " (")
        .contains("job.conf:2): expected a value " + expected + ", got " + value);
  }

  @Test
  void scheduleAndInputEnumsListTheAllowedValues() {
    ConfigException e =
        error(
            dir,
            """
            model.input.type = picture
            model.updater.schedule { type = linear, unit = batch }
            """);

    assertThat(e.problems())
        .containsExactly(
            "model.input.type ("
                + file()
                + ":1): expected one of feed-forward, image, got 'picture'",
            "model.updater.schedule.type ("
                + file()
                + ":2): expected one of none, step, exponential, cosine, got 'linear'",
            "model.updater.schedule.unit ("
                + file()
                + ":2): expected one of epoch, iteration, got 'batch'");
  }

  @Test
  void cosineNeedsAPeriodAndAMinimumBelowTheLearningRate() {
    ConfigException e =
        error(
            dir,
            """
            model.updater {
              learning-rate = 0.01
              schedule { type = cosine, min-learning-rate = 0.01 }
            }
            """);

    assertThat(e.problems())
        .containsExactly(
            "model.updater.schedule.period ("
                + file()
                + ":3): missing; required (>= 1) for schedule type cosine",
            "model.updater.schedule.min-learning-rate ("
                + file()
                + ":3): expected less than model.updater.learning-rate (0.01) for schedule type"
                + " cosine, got 0.01");
    assertThat(
            only(
                "model.updater.schedule.type = cosine\n"
                    + "model.updater.schedule {\n  period = 0\n}\n"))
        .isEqualTo(
            "model.updater.schedule.period ("
                + file()
                + ":3): expected a value >= 1 (required for schedule type cosine), got 0");
    // The same values are fine for the other schedules, which do not use them.
    assertThat(
            load(dir, "model.updater.schedule { type = step, min-learning-rate = 0.5 }")
                .model()
                .updater()
                .schedule())
        .isEqualTo(new ScheduleConfig(ScheduleType.STEP, ScheduleUnit.EPOCH, 0.1, 1, 0, 0.5));
  }

  @Test
  void updaterAndScheduleAreRead() {
    UpdaterConfig updater =
        load(
                dir,
                """
                model.updater {
                  type = adamw
                  learning-rate = 3e-3
                  weight-decay = 1e-4
                  schedule { type = cosine, unit = iteration, period = 1000,
                             min-learning-rate = 1e-5, decay = 0.5, step = 3 }
                }
                """)
            .model()
            .updater();

    assertThat(updater)
        .isEqualTo(
            new UpdaterConfig(
                UpdaterType.ADAMW,
                3e-3,
                0.9,
                0.9,
                0.999,
                1e-8,
                1e-4,
                new ScheduleConfig(
                    ScheduleType.COSINE, ScheduleUnit.ITERATION, 0.5, 3, 1000, 1e-5)));
  }

  @Test
  void allModelProblemsAreReportedTogether() {
    ConfigException e =
        error(
            dir,
            """
            model {
              input { type = image, channels = 0 }
              updater.schedule.type = cosine
              layers = [
                { type = convolution, filters = 8, kernel = 3, activation = relu, units = 3 }
                { type = subsampling, pooling = max }
                { type = output, units = 10, activation = sigmod, loss = sparse-mcxent }
              ]
            }
            """);

    assertThat(e.problems())
        .hasSize(5)
        .anySatisfy(p -> assertThat(p).startsWith("model.input.channels (").contains(":2)"))
        .anySatisfy(p -> assertThat(p).startsWith("model.updater.schedule.period ("))
        .anySatisfy(p -> assertThat(p).startsWith("model.layers[0].units (").contains(":5)"))
        .anySatisfy(p -> assertThat(p).startsWith("model.layers[1].kernel (").contains(":6)"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("model.layers[2].activation (")
                    .contains(":7)")
                    .contains("expected one of relu, leaky-relu, sigmoid,"));
  }

  private String only(String text) {
    ConfigException e = error(dir, text);
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  private String file() {
    return dir.resolve("job.conf").toString();
  }
}
