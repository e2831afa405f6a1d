package sparktrain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static sparktrain.testing.TestJobs.mnistSlice;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.provenance.RunStatus;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * The shipped {@code conf/mnist-lenet.conf} trains through {@link TrainJob} with Spark parameter
 * averaging in {@code local[2]}, on a slice of real MNIST.
 */
class LenetTrainingTest extends LocalSparkTestBase {

  @Test
  void lenetConfLearnsMnistFromASmallSlice(@TempDir Path tmp) {
    JobConfig config =
        ConfigLoader.load(
            "../conf/mnist-lenet.conf",
            mnistSlice(
                tmp.resolve("run"),
                "data.train-limit=1500",
                "training.epochs=2",
                // Smaller minibatches: more steps on the little data.
                "training.batch-size-per-worker=8"));

    TrainSummary s = TrainJob.run(config, spark, TrainJob.Options.fresh());

    // 1,500 training images, 2 epochs: the working LeNet measured 0.912 on the 1,000 test images
    // (0.870 after epoch 1); a broken one (images reshaped wrong, labels misaligned, no pixel
    // scaling, a schedule that stops learning) stays far below.
    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(s.trainExamples()).isEqualTo(1500);
    assertThat(s.testExamples()).isEqualTo(1000);
    assertThat(s.epochsCompleted()).isEqualTo(2);
    assertThat(s.testMetrics().get("accuracy")).isGreaterThan(0.85);
  }
}
