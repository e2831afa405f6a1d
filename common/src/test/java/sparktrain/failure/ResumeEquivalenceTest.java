package sparktrain.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static sparktrain.testing.TestJobs.mnistSlice;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.Dl4jEngines;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Resuming is invisible in the result: on one worker with a fixed data order (the settings of
 * {@code ParameterAveragingEquivalenceTest}) and several averaging rounds per epoch, 2 epochs +
 * resume for 2 more, and 1 epoch + half of the 2nd + resume, give the parameters and updater state
 * of 4 uninterrupted epochs.
 */
class ResumeEquivalenceTest extends LocalSparkTestBase {
  private static final double TOLERANCE = 1e-5;

  /** 784-32-10: quick to train and to checkpoint. */
  static final String SMALL_MLP =
      "model.layers=[{type=dense,units=32,activation=relu},"
          + "{type=output,units=10,activation=softmax,loss=sparse-mcxent}]";

  private static JobConfig config(Path out, int epochs, String engine) {
    return ConfigLoader.load(
        null,
        mnistSlice(
            out,
            "training.engine=" + engine,
            "training.epochs=" + epochs,
            "training.workers=1",
            "data.train-limit=640",
            "data.test-limit=200",
            SMALL_MLP,
            "training.batch-size-per-worker=32",
            // 20 minibatches per epoch, 5 per round: 4 averaging rounds dealt at random per epoch
            "training.averaging-frequency=5",
            "training.prefetch=0",
            "training.shuffle=false",
            "training.evaluate-every-epoch=false",
            "checkpoint.every-n-rounds=2",
            "checkpoint.keep-last=10"));
  }

  private TrainSummary train(Path out, int epochs) {
    return TrainJob.run(config(out, epochs, engine), spark, TrainJob.Options.fresh());
  }

  private String engine;

  @ParameterizedTest
  @ValueSource(strings = {"barrier", "dl4j"})
  void resumedRunsEndWithTheParametersOfAnUninterruptedOne(String engine, @TempDir Path tmp)
      throws Exception {
    assumeTrue(
        !engine.equals("dl4j") || Dl4jEngines.available(),
        "training.engine = dl4j needs DL4J's Spark module (Scala 2.12): Spark 3.5 build only");
    this.engine = engine;
    Path straight = tmp.resolve("straight");
    Path resumed = tmp.resolve("resumed");
    Path midEpoch = tmp.resolve("mid-epoch");

    train(straight, 4);
    train(resumed, 2);
    // A crash right after the checkpoint within epoch 2 (after its 2nd of 4 rounds): the epoch's
    // own checkpoint was never written.
    FileUtils.copyDirectory(resumed.toFile(), midEpoch.toFile());
    FileUtils.deleteDirectory(midEpoch.resolve("checkpoints/epoch-0002").toFile());
    TrainSummary afterEpochs = train(resumed, 4);
    TrainSummary afterRounds = train(midEpoch, 4);

    MultiLayerNetwork expected = finalModel(straight);
    assertThat(afterEpochs.resumedFromEpoch()).isEqualTo(2);
    assertThat(afterRounds.resumedFromEpoch()).isEqualTo(1);
    for (Path run : List.of(resumed, midEpoch)) {
      MultiLayerNetwork actual = finalModel(run);
      assertThat(maxDiff(actual, expected))
          .as("max |Δparam| of %s", run)
          .isLessThanOrEqualTo(TOLERANCE);
      assertThat(
              actual
                  .getUpdater()
                  .getStateViewArray()
                  .sub(expected.getUpdater().getStateViewArray())
                  .amaxNumber()
                  .doubleValue())
          .as("max |Δupdater state| of %s", run)
          .isLessThanOrEqualTo(TOLERANCE);
      // DL4J's counters (Adam's bias correction, schedules) continued, not restarted.
      assertThat(actual.getLayerWiseConfigurations().getIterationCount())
          .isEqualTo(expected.getLayerWiseConfigurations().getIterationCount());
      assertThat(actual.getLayerWiseConfigurations().getEpochCount()).isEqualTo(4);
      // metrics.jsonl: the history continues, one row per epoch.
      assertThat(epochsInMetrics(run)).containsExactly(1, 2, 3, 4);
    }
    // The comparison is not between idle networks: epochs 2-4 moved the parameters a lot.
    MultiLayerNetwork afterOne =
        new CheckpointStore(straight.toUri().toString(), new Configuration(), 1)
            .load("epoch-0001")
            .network();
    assertThat(maxDiff(afterOne, expected)).isGreaterThan(1e-2);
  }

  private static MultiLayerNetwork finalModel(Path run) throws Exception {
    return ModelSerializer.restoreMultiLayerNetwork(run.resolve("model/model.zip").toFile(), true);
  }

  private static double maxDiff(MultiLayerNetwork a, MultiLayerNetwork b) {
    return a.params().sub(b.params()).amaxNumber().doubleValue();
  }

  static List<Integer> epochsInMetrics(Path run) throws Exception {
    List<Integer> epochs = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode row = Json.MAPPER.readTree(line);
      epochs.add(row.get("epoch").asInt());
    }
    return epochs;
  }
}
