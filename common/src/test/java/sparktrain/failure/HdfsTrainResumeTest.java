package sparktrain.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.testing.TestJobs.mnistSlice;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.MiniHdfs;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Training with the data and the run directory on a real (mini) HDFS, then resuming there: 1 epoch,
 * then the same config with 2 epochs continues from epoch 1 (the config fingerprint leaves out the
 * number of epochs on purpose).
 */
class HdfsTrainResumeTest extends LocalSparkTestBase {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  private static FileSystem fs;

  @BeforeAll
  static void putData() throws Exception {
    fs = HDFS.fs();
    HDFS.copyFromLocal(LocalSpark.resource("mnist"), "/data/mnist");
  }

  private static String hdfs(String path) {
    return HDFS.uri(path);
  }

  private static JobConfig config(int epochs) {
    String m = hdfs("/data/mnist/");
    return ConfigLoader.load(
        null,
        mnistSlice(
            null,
            "data.train.images=\"" + m + "train-images-idx3-ubyte\"",
            "data.train.labels=\"" + m + "train-labels-idx1-ubyte\"",
            "data.test.images=\"" + m + "t10k-images-idx3-ubyte\"",
            "data.test.labels=\"" + m + "t10k-labels-idx1-ubyte\"",
            "output.dir=\"" + hdfs("/runs/mnist") + "\"",
            "training.epochs=" + epochs,
            "data.train-limit=640",
            "data.test-limit=200",
            ResumeEquivalenceTest.SMALL_MLP));
  }

  @Test
  void trainsOnHdfsAndResumesThereFromTheLastEpoch() throws Exception {
    TrainSummary first = TrainJob.run(config(1), spark, TrainJob.Options.fresh());

    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(first.runDir()).startsWith("hdfs://");
    assertThat(first.resumedFromEpoch()).isNull();
    CheckpointStore store = new CheckpointStore(hdfs("/runs/mnist"), fs.getConf(), 3);
    assertThat(store.latestName()).contains("epoch-0001");

    TrainSummary second = TrainJob.run(config(2), spark, TrainJob.Options.fresh());

    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(second.resumedFromEpoch()).isEqualTo(1);
    assertThat(second.epochsCompleted()).isEqualTo(2);
    assertThat(second.epochSeconds()).hasSize(1);
    assertThat(second.testMetrics().get("accuracy")).isGreaterThan(0.5);
    assertThat(store.list()).containsExactly("epoch-0001", "epoch-0002");
    // Every file's SHA-256 verifies on HDFS; the manifest records where the data came from.
    LoadedCheckpoint latest = store.load("epoch-0002");
    assertThat(latest.uri()).startsWith("hdfs://");
    assertThat(latest.parent()).isEqualTo("epoch-0001");
    assertThat(latest.provenance().get("split_seed")).isNotNull();
    assertThat(latest.provenance().get("inputs").toString()).contains(hdfs("/data/mnist/"));
    assertThat(latest.network().getLayerWiseConfigurations().getEpochCount()).isEqualTo(2);
    LoadedCheckpoint model = ModelDirectory.read(hdfs("/runs/mnist/model"), fs.getConf());
    assertThat(model.network().params()).isEqualTo(latest.network().params());
    // metrics.jsonl on HDFS: the history of the first run, continued.
    String metrics =
        new String(
            HadoopFiles.readAll(fs, new org.apache.hadoop.fs.Path("/runs/mnist/metrics.jsonl")),
            StandardCharsets.UTF_8);
    List<Integer> epochs = metrics.lines().map(HdfsTrainResumeTest::epochOf).toList();
    assertThat(epochs).containsExactly(1, 2);
    JsonNode summary =
        Json.MAPPER.readTree(
            HadoopFiles.readAll(fs, new org.apache.hadoop.fs.Path("/runs/mnist/summary.json")));
    assertThat(summary.get("resumed_from_epoch").asInt()).isEqualTo(1);
    // Nothing temporary is left behind: no _tmp-* entries, no DL4J export directory.
    assertThat(fs.listStatus(new org.apache.hadoop.fs.Path("/runs/mnist/checkpoints")))
        .noneMatch(st -> st.getPath().getName().startsWith("_tmp-"));
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/runs/mnist/tmp"))).isFalse();
  }

  private static int epochOf(String line) {
    try {
      return Json.MAPPER.readTree(line).get("epoch").asInt();
    } catch (Exception e) {
      throw new IllegalStateException(line, e);
    }
  }
}
