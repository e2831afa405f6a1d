package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.TestDatasets;

/**
 * {@code training.class-weights = balanced} on an imbalanced split of the breast-cancer data: all
 * 212 malignant rows and 20 benign ones to train on, the other 337 benign rows to test on, so the
 * test accuracy is the minority class's recall. Balanced weights raise it.
 */
class ClassWeightsTest extends LocalSparkTestBase {

  @Test
  void balancedWeightsRaiseTheMinorityRecall(@TempDir Path tmp) throws Exception {
    List<String> lines = TestDatasets.lines(TestDatasets.breastCancer());
    List<String> train = new ArrayList<>(List.of(lines.get(0)));
    List<String> benignTest = new ArrayList<>(List.of(lines.get(0)));
    int benign = 0;
    for (String line : lines.subList(1, lines.size())) {
      boolean isBenign = line.endsWith(",1");
      if (!isBenign || benign++ < 20) {
        train.add(line);
      } else {
        benignTest.add(line);
      }
    }
    Path trainFile = TestDatasets.write(tmp, "train.csv", train);
    Path testFile = TestDatasets.write(tmp, "benign.csv", benignTest);

    TrainSummary plain = run(tmp.resolve("plain"), trainFile, testFile, "none");
    TrainSummary balanced = run(tmp.resolve("balanced"), trainFile, testFile, "balanced");

    assertThat(plain.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(plain.testExamples()).isEqualTo(337);
    double before = plain.testMetrics().get("accuracy");
    double after = balanced.testMetrics().get("accuracy");
    // measured: 0.8398 without weights, 0.9792 balanced (+0.14)
    assertThat(after).isGreaterThan(before + 0.05);
    assertThat(plain.classWeights()).isNull();
    // balanced: n / (k * count) = 232 / (2 * 212) and 232 / (2 * 20)
    JsonNode summary =
        Json.MAPPER.readTree(Files.readString(tmp.resolve("balanced").resolve("summary.json")));
    JsonNode weights = summary.path("class_weights").path("weights");
    assertThat(weights.path("0").asDouble())
        .isCloseTo(232 / 424.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(weights.path("1").asDouble())
        .isCloseTo(232 / 40.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Files.readString(tmp.resolve("balanced").resolve("report/index.html")))
        .contains("Class weights (balanced");
  }

  @Test
  void theWeightsAreInTheConfigurationTheEnginesShip() {
    var config =
        TestDatasets.breastCancerJob(
            "csv",
            TestDatasets.breastCancer(),
            "model.layers=[{type=output, units=2, activation=softmax, loss=sparse-mcxent}]",
            "training.class-weights={1 = 4.0}");
    var net = sparktrain.model.NetworkFactory.create(config.model(), 1);
    double[] w = ClassWeights.resolve(config.training().classWeights(), null, 2);
    ClassWeights.applyTo(net, w, config.model().outputLayer().loss());
    String json = net.getLayerWiseConfigurations().toJson();
    var copy =
        org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(json).getConf(0).getLayer();
    assertThat(((org.deeplearning4j.nn.conf.layers.BaseOutputLayer) copy).getLossFn())
        .isEqualTo(
            new org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT(
                org.nd4j.linalg.factory.Nd4j.create(new float[][] {{1f, 4f}})));
  }

  private TrainSummary run(Path out, Path train, Path test, String weights) {
    return TrainJob.run(
        ConfigLoader.load(
            null,
            List.of(
                "data.format=csv",
                "data.train.path=\"" + train + "\"",
                "data.test.path=\"" + test + "\"",
                "data.label=benign",
                "data.num-classes=2",
                "model.input.size=30",
                "model.layers=[{type=output, units=2, activation=softmax, loss=sparse-mcxent}]",
                "output.dir=\"" + out + "\"",
                "training.epochs=4",
                "model.updater.learning-rate=0.01",
                "training.workers=1",
                "training.batch-size-per-worker=16",
                "training.class-weights=" + weights)),
        spark,
        TrainJob.Options.fresh());
  }
}
