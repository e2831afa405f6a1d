package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.testing.TestJobs.mnistSlice;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSpark;
import sparktrain.testing.LogCapture;

/**
 * The shipped export approach on a master DL4J does not count as local, with the usual {@code
 * file:} default file system (as on {@code submit-scripts/local-cluster}): DL4J's ExportSupport
 * would throw "Export training approach is not supported in the current environment" at the first
 * fit; sparktrain trains with direct instead and says so in one INFO line.
 */
class ExportApproachFallbackTest {
  private static final FileSystem LOCAL = new RawLocalFileSystem();
  private static final FileSystem SHARED =
      new RawLocalFileSystem() {
        @Override
        public URI getUri() {
          return URI.create("hdfs://namenode:8020");
        }
      };

  @Test
  void exportStaysWhereDl4jSupportsIt() {
    for (String master : List.of("local", "local[2]", "local[*]")) {
      assertThat(TrainingMasters.usableApproach(RDDTrainingApproach.Export, master, LOCAL))
          .as(master)
          .isEqualTo(RDDTrainingApproach.Export);
    }
    for (String master : List.of("spark://127.0.0.1:7077", "yarn", "local[2,1]")) {
      assertThat(TrainingMasters.usableApproach(RDDTrainingApproach.Export, master, SHARED))
          .as(master + " on hdfs:")
          .isEqualTo(RDDTrainingApproach.Export);
    }
  }

  @Test
  void exportBecomesDirectOnANonLocalMasterWithTheLocalFileSystem() {
    for (String master :
        List.of("spark://127.0.0.1:7077", "yarn", "k8s://https://k:6443", "local[2,1]")) {
      assertThat(TrainingMasters.usableApproach(RDDTrainingApproach.Export, master, LOCAL))
          .as(master)
          .isEqualTo(RDDTrainingApproach.Direct);
    }
    assertThat(
            TrainingMasters.usableApproach(
                RDDTrainingApproach.Direct, "spark://127.0.0.1:7077", LOCAL))
        .isEqualTo(RDDTrainingApproach.Direct);
  }

  /**
   * End to end through {@code TrainJob} with the default {@code rdd-approach = export}: {@code
   * local[2,1]} (two cores, no task retry) is local mode to Spark but not to DL4J's master check,
   * so it meets the same refusal as a standalone cluster, in one JVM.
   */
  @Test
  void shippedExportApproachTrainsOnANonLocalMaster(@TempDir Path tmp) throws Exception {
    SparkSession spark = LocalSpark.start(LocalSpark.conf(2).setMaster("local[2,1]"));
    Path out = tmp.resolve("run");
    TrainSummary s;
    List<String> logged;
    try (LogCapture log = LogCapture.open(Level.INFO)) {
      s =
          TrainJob.run(
              ConfigLoader.load(null, mnistSlice(out, "training.epochs=1", "training.engine=dl4j")),
              spark,
              TrainJob.Options.fresh());
      logged = log.warnings();
    } finally {
      spark.stop();
    }

    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(s.epochsCompleted()).isEqualTo(1);
    assertThat(s.testMetrics().get("accuracy")).isGreaterThan(0.7);
    assertThat(out.resolve("summary.json")).exists();
    assertThat(logged)
        .filteredOn(m -> m.startsWith("training.rdd-approach = export is not possible here"))
        .singleElement()
        .asString()
        .contains("master local[2,1]", "fs.defaultFS file:///", "training.rdd-approach = direct")
        .doesNotContain("\n");
  }
}
