package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static sparktrain.data.TabularDataTest.csv;
import static sparktrain.testing.TestDatasets.breastCancer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.config.Normalization;
import sparktrain.model.NetworkFactory;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.MiniBatches;

/** Normalizers fitted with Spark on the real breast-cancer data, saved and restored. */
class NormalizerTest extends LocalSparkTestBase {
  private static TrainingData data;
  private static List<Example> train;

  @TempDir Path tmp;

  @BeforeAll
  static void readData() {
    data = DataSources.read(sc, csv(breastCancer()), 2);
    train = data.train().collect();
  }

  /** Mean, population std, min, max of each feature of {@code examples}, two passes in double. */
  static double[][] singleProcessStats(List<Example> examples) {
    int width = examples.get(0).numFeatures();
    double[] mean = new double[width];
    double[] std = new double[width];
    double[] min = new double[width];
    double[] max = new double[width];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (Example e : examples) {
      for (int j = 0; j < width; j++) {
        mean[j] += e.features()[j];
        min[j] = Math.min(min[j], e.features()[j]);
        max[j] = Math.max(max[j], e.features()[j]);
      }
    }
    for (int j = 0; j < width; j++) {
      mean[j] /= examples.size();
    }
    for (Example e : examples) {
      for (int j = 0; j < width; j++) {
        double d = e.features()[j] - mean[j];
        std[j] += d * d;
      }
    }
    for (int j = 0; j < width; j++) {
      std[j] = Math.sqrt(std[j] / examples.size());
    }
    return new double[][] {mean, std, min, max};
  }

  @Test
  void standardizeStatisticsEqualASingleProcessComputation() {
    Normalizer n = Normalizer.fit(data.train(), Normalization.STANDARDIZE, data.featureNames());
    double[][] expected = singleProcessStats(train);

    assertThat(n.count()).isEqualTo(train.size());
    assertThat(n.width()).isEqualTo(30);
    assertThat(n.featureNames()).isEqualTo(data.featureNames());
    String[] names = {"mean", "std", "min", "max"};
    for (int s = 0; s < names.length; s++) {
      double[] actual = n.statistic(names[s]);
      assertThat(actual).hasSize(30);
      for (int j = 0; j < 30; j++) {
        assertThat(actual[j]).as(names[s] + "[" + j + "]").isCloseTo(expected[s][j], within(1e-9));
      }
    }
    // mean_area (index 3) spans hundreds: a fit on raw or wrong data would be far off
    assertThat(expected[0][3]).isGreaterThan(500);

    double[] mean = new double[30];
    double[] square = new double[30];
    for (Example e : train) {
      float[] x = n.apply(e.features());
      for (int j = 0; j < 30; j++) {
        mean[j] += x[j] / (double) train.size();
        square[j] += x[j] * (double) x[j] / train.size();
      }
    }
    for (int j = 0; j < 30; j++) {
      assertThat(mean[j]).isCloseTo(0, within(1e-5));
      assertThat(square[j] - mean[j] * mean[j]).isCloseTo(1, within(1e-4));
    }
  }

  @Test
  void minMaxMapsTheTrainingRangeOntoZeroToOne() {
    Normalizer n = Normalizer.fit(data.train(), Normalization.MIN_MAX, data.featureNames());
    double[][] expected = singleProcessStats(train);

    for (int j = 0; j < 30; j++) {
      assertThat(n.apply(j, (float) expected[2][j])).isCloseTo(0f, within(1e-6f));
      assertThat(n.apply(j, (float) expected[3][j])).isCloseTo(1f, within(1e-6f));
    }
    assertThat(Normalizer.fit(data.train(), Normalization.IMAGE_SCALE, List.of()).apply(0, 255f))
        .isEqualTo(1f);
    assertThat(Normalizer.fit(data.train(), Normalization.NONE, List.of()).apply(7, 42.5f))
        .isEqualTo(42.5f);
  }

  @Test
  void decodingARowInOnePassGivesTheValuesOfApplyInPlace() {
    int width = 30;
    byte[] bytes = new byte[2 * width];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 37 + 11);
    }
    float[] floats = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      floats[i] = bytes[i] & 0xFF;
    }
    for (Normalization kind :
        List.of(
            Normalization.STANDARDIZE,
            Normalization.MIN_MAX,
            Normalization.IMAGE_SCALE,
            Normalization.NONE)) {
      Normalizer n = Normalizer.fit(data.train(), kind, data.featureNames());
      float[] expected = floats.clone();
      n.applyInPlace(expected, width);
      float[] decoded = new float[width + 3];
      float[] applied = new float[width + 3];
      n.decodeRow(bytes, width, decoded, 3, width);
      n.applyRow(floats, width, applied, 3, width);
      float[] secondRow = java.util.Arrays.copyOfRange(expected, width, 2 * width);
      assertThat(java.util.Arrays.copyOfRange(decoded, 3, width + 3))
          .as("%s, bytes", kind)
          .containsExactly(secondRow);
      assertThat(java.util.Arrays.copyOfRange(applied, 3, width + 3))
          .as("%s, floats", kind)
          .containsExactly(secondRow);
    }
  }

  @Test
  void aConstantFeatureBecomesZeroNeverNanOrInfinite() {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      examples.add(new Example(new float[] {i, 3.5f, -i * 2}, i % 2));
    }
    for (Normalization kind : List.of(Normalization.STANDARDIZE, Normalization.MIN_MAX)) {
      Normalizer n = Normalizer.fit(sc.parallelize(examples, 3), kind, List.of("a", "b", "c"));
      for (Example e : examples) {
        float[] x = n.apply(e.features());
        assertThat(x[1]).as(kind + " constant column").isEqualTo(0f);
        assertThat(x[0]).isFinite();
        assertThat(x[2]).isFinite();
      }
      assertThat(n.statistic("std")[1]).isEqualTo(0.0);
    }
  }

  @Test
  void savedInAModelDirectoryAndRestoredItTransformsIdentically() throws Exception {
    Normalizer n = Normalizer.fit(data.train(), Normalization.STANDARDIZE, data.featureNames());
    LabelIndex labels = LabelIndex.of("diagnosis", List.of("malignant", "benign"));
    JobConfig job =
        ConfigLoader.load(
            null,
            List.of(
                "data.format=csv",
                "data.path=x.csv",
                "data.label=benign",
                "data.num-classes=2",
                "model.input.size=30",
                TabularDataTest.BINARY));
    String dir = tmp.resolve("model").toString();
    Configuration conf = new Configuration();
    ModelDirectory.write(
        dir,
        conf,
        NetworkFactory.create(job.model(), 1),
        new CheckpointMetadata(1, 10, "run", null, Map.of(), job.render(), Map.of()),
        Map.of(Normalizer.FILE_NAME, n.toJson(), LabelIndex.FILE_NAME, labels.toJson()));

    LoadedCheckpoint loaded = ModelDirectory.read(dir, conf);
    Normalizer restored = Normalizer.load(loaded);

    assertThat(restored).isEqualTo(n);
    assertThat(restored.kind()).isEqualTo(Normalization.STANDARDIZE);
    assertThat(restored.statistic("mean")).isEqualTo(n.statistic("mean"));
    DataSet before = MiniBatches.toDataSet(train, MiniBatches.LabelLayout.COLUMN, 2, n);
    DataSet after = MiniBatches.toDataSet(train, MiniBatches.LabelLayout.COLUMN, 2, restored);
    assertThat(after.getFeatures()).isEqualTo(before.getFeatures());
    assertThat(before.getFeatures().getFloat(0, 3))
        .isEqualTo(
            (float)
                ((train.get(0).features()[3] - n.statistic("mean")[3])
                    * (1 / n.statistic("std")[3])));
    assertThat(LabelIndex.find(loaded)).contains(labels);
    assertThat(LabelIndex.find(loaded).orElseThrow().classes())
        .containsExactly("benign", "malignant");
    assertThat(Normalizer.fromJson(Normalizer.imageScale().toJson()))
        .isEqualTo(Normalizer.imageScale());
  }
}
