package sparktrain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import sparktrain.config.ConfigLoader;
import sparktrain.config.ModelConfig;

/** Learning-rate schedules from config: their values, and that they survive save and restore. */
class LearningRateScheduleTest {

  private static final double LR = 0.1;

  @TempDir Path dir;

  @Test
  void noScheduleIsAConstantLearningRate() {
    IUpdater updater = updater("type = none");

    assertThat(updater.getLearningRate(0, 0)).isEqualTo(LR);
    assertThat(updater.getLearningRate(1000, 50)).isEqualTo(LR);
  }

  @Test
  void stepScheduleDecaysEveryStepEpochs() {
    IUpdater updater = updater("type = step, unit = epoch, decay = 0.5, step = 2");

    assertThat(((Nesterovs) updater).getLearningRateSchedule())
        .isEqualTo(new StepSchedule(ScheduleType.EPOCH, LR, 0.5, 2));
    assertThat(updater.getLearningRate(999, 0)).isEqualTo(0.1);
    assertThat(updater.getLearningRate(999, 1)).isEqualTo(0.1);
    assertThat(updater.getLearningRate(0, 2)).isEqualTo(0.05);
    assertThat(updater.getLearningRate(0, 3)).isEqualTo(0.05);
    assertThat(updater.getLearningRate(0, 4)).isEqualTo(0.025);
  }

  @Test
  void exponentialScheduleDecaysEveryIteration() {
    IUpdater updater = updater("type = exponential, unit = iteration, decay = 0.9");

    assertThat(((Nesterovs) updater).getLearningRateSchedule())
        .isEqualTo(new ExponentialSchedule(ScheduleType.ITERATION, LR, 0.9));
    assertThat(updater.getLearningRate(0, 7)).isEqualTo(0.1);
    assertThat(updater.getLearningRate(1, 7)).isCloseTo(0.09, within(1e-12));
    assertThat(updater.getLearningRate(10, 7)).isCloseTo(0.1 * Math.pow(0.9, 10), within(1e-12));
  }

  @Test
  void cosineScheduleFallsFromTheLearningRateToTheMinimumOverThePeriod() {
    IUpdater updater = updater("type = cosine, unit = epoch, period = 4, min-learning-rate = 0.01");

    assertThat(((Nesterovs) updater).getLearningRateSchedule())
        .isEqualTo(new CosineSchedule(ScheduleType.EPOCH, LR, 0.01, 4));
    assertThat(updater.getLearningRate(0, 0)).isEqualTo(0.1);
    assertThat(updater.getLearningRate(0, 1))
        .isCloseTo(0.01 + 0.09 * (1 + Math.cos(Math.PI / 4)) / 2, within(1e-12));
    assertThat(updater.getLearningRate(0, 2)).isCloseTo(0.055, within(1e-12));
    assertThat(updater.getLearningRate(0, 4)).isEqualTo(0.01);
    assertThat(updater.getLearningRate(0, 40)).isEqualTo(0.01);
    ISchedule perIteration = new CosineSchedule(ScheduleType.ITERATION, 1, 0, 10);
    assertThat(perIteration.valueAt(5, 0)).isCloseTo(0.5, within(1e-12));
    assertThat(perIteration.valueAt(0, 5)).isEqualTo(1);
    assertThatThrownBy(() -> new CosineSchedule(ScheduleType.EPOCH, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
  }

  @Test
  void schedulesSurviveTheNetworkJsonRoundTrip() {
    for (String schedule :
        new String[] {
          "type = cosine, period = 5, min-learning-rate = 1e-4",
          "type = step, unit = iteration, decay = 0.3, step = 100",
          "type = exponential, decay = 0.95"
        }) {
      MultiLayerConfiguration conf = NetworkFactory.build(model(schedule, "adam"), 1);

      MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());

      assertThat(back).as(schedule).isEqualTo(conf);
      assertThat(((BaseLayer) back.getConf(0).getLayer()).getIUpdater())
          .isEqualTo(((BaseLayer) conf.getConf(0).getLayer()).getIUpdater());
    }
  }

  /**
   * A network saved with ModelSerializer mid-schedule and restored goes on with the same learning
   * rate at the same iteration and epoch, and fits exactly as the original does.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // at iteration 4, epoch 2:
        "type = step, unit = iteration, decay = 0.5, step = 3 | 0.05",
        "type = cosine, unit = epoch, period = 4, min-learning-rate = 0.001 | 0.0505",
        "type = exponential, unit = epoch, decay = 0.5 | 0.025"
      })
  void savedAndRestoredNetworkContinuesTheSchedule(String schedule, double expected)
      throws Exception {
    MultiLayerNetwork net = NetworkFactory.create(model(schedule, "nesterov"), 42);
    DataSet batch = batch(1);
    for (int i = 0; i < 4; i++) {
      net.fit(batch);
    }
    net.getLayerWiseConfigurations().setEpochCount(2);
    assertThat(net.getLearningRate(0)).isCloseTo(expected, within(1e-12));
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(net, file, true);

    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

    assertThat(restored.getLayerWiseConfigurations().getIterationCount()).isEqualTo(4);
    assertThat(restored.getLayerWiseConfigurations().getEpochCount()).isEqualTo(2);
    assertThat(restored.getLearningRate(0)).isEqualTo(net.getLearningRate(0));
    assertThat(restored.getLearningRate(1)).isEqualTo(net.getLearningRate(0));
    DataSet next = batch(2);
    net.fit(next);
    restored.fit(next);
    assertThat(restored.params()).isEqualTo(net.params());
    assertThat(restored.getLayerWiseConfigurations().getIterationCount()).isEqualTo(5);
    assertThat(restored.getLearningRate(0)).isEqualTo(net.getLearningRate(0));
  }

  @Test
  void aRestoredScheduleIsNotTheConstantRate() throws Exception {
    // Guards the test above: at iteration 4 the step schedule's rate differs from a constant one,
    // so one more fit from the same state would give different parameters.
    MultiLayerNetwork scheduled =
        NetworkFactory.create(
            model("type = step, unit = iteration, decay = 0.5, step = 3", "sgd"), 7);
    MultiLayerNetwork constant = NetworkFactory.create(model("type = none", "sgd"), 7);
    scheduled.getLayerWiseConfigurations().setIterationCount(4);
    constant.getLayerWiseConfigurations().setIterationCount(4);

    scheduled.fit(batch(3));
    constant.fit(batch(3));

    assertThat(scheduled.getLearningRate(0)).isEqualTo(0.05);
    assertThat(constant.getLearningRate(0)).isEqualTo(LR);
    assertThat(scheduled.params()).isNotEqualTo(constant.params());
  }

  private static DataSet batch(long seed) {
    Random random = new Random(seed);
    float[][] features = new float[8][6];
    float[] labels = new float[8];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 6; j++) {
        features[i][j] = (float) random.nextGaussian();
      }
      labels[i] = random.nextInt(3);
    }
    return new DataSet(Nd4j.create(features), Nd4j.create(labels, new long[] {8, 1}));
  }

  private static IUpdater updater(String schedule) {
    MultiLayerConfiguration conf = NetworkFactory.build(model(schedule, "nesterov"), 1);
    return ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater();
  }

  private static ModelConfig model(String schedule, String updater) {
    return ConfigLoader.fromConfig(
            ConfigFactory.parseString(
                """
                model.input.size = 6
                model.layers = [
                  { type = dense, units = 5, activation = tanh }
                  { type = output, units = 3, activation = softmax, loss = sparse-mcxent }
                ]
                data.num-classes = 3
                data { train { images = a, labels = b }, test { images = c, labels = d } }
                model.updater { type = %s, learning-rate = %s, schedule { %s } }
                """
                    .formatted(updater, LR, schedule)))
        .model();
  }
}
