package sparktrain.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import sparktrain.config.JobConfig;
import sparktrain.errors.JobArgumentException;
import sparktrain.eval.ScoringFixtures;
import sparktrain.io.Json;
import sparktrain.testing.LocalSparkTestBase;

/**
 * {@code predict} end to end on the real MNIST test slice in {@code local[2]}: one row per record,
 * ids complete, predictions equal to the network's outputs computed here, one file per input
 * partition, {@code _SUCCESS}, and the {@code --overwrite} rules.
 */
class PredictJobTest extends LocalSparkTestBase {
  private static final int ROWS = 500;

  private static JobConfig config(String... extra) {
    String[] sets =
        Stream.concat(
                Stream.of(
                    ScoringFixtures.SMALL_MLP,
                    "data.test-limit=" + ROWS,
                    "data.partitions=3",
                    "training.batch-size-per-worker=16",
                    "evaluation.batch-size=16"),
                Stream.of(extra))
            .toArray(String[]::new);
    return ScoringFixtures.config(sets);
  }

  /** Saves {@code net} to {@code model} and predicts with it into {@code out} (no overwrite). */
  private static PredictJob.Summary saveAndPredict(
      JobConfig config, MultiLayerNetwork net, Path model, Path out) throws Exception {
    ScoringFixtures.save(model, config, net);
    return PredictJob.run(
        config, spark, new PredictJob.Options(model.toString(), out.toString(), false));
  }

  @Test
  void writesOneRowPerRecordThatSurvivesAReRead(@TempDir Path tmp) throws Exception {
    JobConfig config = config();
    MultiLayerNetwork net = ScoringFixtures.trained(config, 30);
    Path out = tmp.resolve("predictions");

    PredictJob.Summary s = saveAndPredict(config, net, tmp.resolve("model"), out);

    assertThat(s.rows()).isEqualTo(ROWS);
    assertThat(s.nonFiniteOutputs()).isZero();
    assertThat(s.partitions()).isEqualTo(3);
    assertThat(out.resolve("_SUCCESS")).exists();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count())
          .as("one file per input partition")
          .isEqualTo(3);
    }

    // the reference: same minibatches, outputs computed here
    ScoringFixtures.Mnist mnist = ScoringFixtures.Mnist.read("t10k", ROWS);
    float[][] expected = new float[ROWS][];
    int row = 0;
    for (DataSet b : mnist.jobBatches(3, 16)) {
      for (float[] o : net.output(b.getFeatures(), false).toFloatMatrix()) {
        expected[row++] = o;
      }
    }
    Dataset<Row> read = spark.read().parquet(out.toString());
    assertThat(read.columns()).containsExactly("id", "label", "predicted_label", "probabilities");
    List<Row> rows = read.collectAsList(); // the test collects; the job never does
    assertThat(rows).hasSize(ROWS);
    Map<Long, Row> byId = new HashMap<>();
    for (Row r : rows) {
      assertThat(byId.put(r.getLong(0), r)).as("id %d is unique", r.getLong(0)).isNull();
    }
    long correct = 0;
    for (long id = 0; id < ROWS; id++) {
      Row r = byId.get(id);
      assertThat(r).as("id %d present", id).isNotNull();
      int i = (int) id;
      assertThat(r.getDouble(1)).isEqualTo(mnist.label(i));
      List<Float> p = r.getList(3);
      assertThat(p).hasSize(10);
      int argMax = 0;
      for (int c = 0; c < 10; c++) {
        assertThat(p.get(c)).isEqualTo(expected[i][c]);
        argMax = expected[i][c] > expected[i][argMax] ? c : argMax;
      }
      assertThat(r.getInt(2)).isEqualTo(argMax);
      correct += argMax == mnist.label(i) ? 1 : 0;
    }
    assertThat((double) correct / ROWS).as("a trained model").isGreaterThan(0.5);

    JsonNode prov = Json.MAPPER.readTree(out.resolve(PredictJob.PROVENANCE_FILE).toFile());
    assertThat(prov.path("rows").asLong()).isEqualTo(ROWS);
    assertThat(prov.path("model").path("resolved").asText()).endsWith("/model");
    assertThat(prov.path("data").path("inputs").get(1).path("path").asText())
        .endsWith("t10k-labels-idx1-ubyte");
    // Spark does not take the provenance file for data
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(ROWS);
  }

  @Test
  void outputMustNotExistUnlessOverwrite(@TempDir Path tmp) throws Exception {
    JobConfig config = config("data.test-limit=40");
    ScoringFixtures.save(tmp.resolve("model"), config, ScoringFixtures.trained(config, 1));
    String model = tmp.resolve("model").toString();
    Path out = tmp.resolve("predictions");
    PredictJob.run(config, spark, new PredictJob.Options(model, out.toString(), false));
    long modified = Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis();

    assertThatThrownBy(
            () ->
                PredictJob.run(config, spark, new PredictJob.Options(model, out.toString(), false)))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining("--overwrite");
    assertThat(Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis()).isEqualTo(modified);

    PredictJob.Summary again =
        PredictJob.run(config, spark, new PredictJob.Options(model, out.toString(), true));
    assertThat(again.rows()).isEqualTo(40);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(40);

    // --overwrite never replaces a directory that is not a prediction output
    assertThatThrownBy(
            () -> PredictJob.run(config, spark, new PredictJob.Options(model, model, true)))
        .isInstanceOf(JobArgumentException.class)
        .hasMessageContaining("not a prediction output");
    assertThat(tmp.resolve("model/manifest.json")).exists();
  }

  @Test
  void nanOutputsHaveNoPredictedLabel(@TempDir Path tmp) throws Exception {
    JobConfig config = config("data.test-limit=40");
    MultiLayerNetwork net = ScoringFixtures.trained(config, 1);
    net.params().assign(Double.NaN);
    Path out = tmp.resolve("predictions");

    PredictJob.Summary s = saveAndPredict(config, net, tmp.resolve("model"), out);

    assertThat(s.nonFiniteOutputs()).isEqualTo(40);
    Dataset<Row> read = spark.read().parquet(out.toString());
    assertThat(read.filter("predicted_label is null").count()).isEqualTo(40);
  }

  @Test
  void regressionRowsCarryThePrediction(@TempDir Path tmp) throws Exception {
    JobConfig config = config(ScoringFixtures.REGRESSION, "data.test-limit=40");
    MultiLayerNetwork net = ScoringFixtures.trained(config, 5);
    ScoringFixtures.save(tmp.resolve("model"), config, net);
    Path out = tmp.resolve("predictions");

    PredictJob.run(
        config,
        spark,
        new PredictJob.Options(tmp.resolve("model").toString(), out.toString(), false));

    Dataset<Row> read = spark.read().parquet(out.toString()).orderBy("id");
    assertThat(read.columns()).containsExactly("id", "label", "prediction");
    List<Row> rows = read.collectAsList();
    ScoringFixtures.Mnist mnist = ScoringFixtures.Mnist.read("t10k", 40);
    int i = 0;
    for (DataSet b : mnist.jobBatches(3, 16)) {
      for (double o : net.output(b.getFeatures(), false).toDoubleVector()) {
        assertThat(rows.get(i).getLong(0)).isEqualTo(i);
        assertThat(rows.get(i).getDouble(2)).isCloseTo(o, within(0.0));
        i++;
      }
    }
    assertThat(i).isEqualTo(40);
  }
}
