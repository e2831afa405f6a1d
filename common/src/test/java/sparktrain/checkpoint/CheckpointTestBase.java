package sparktrain.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the checkpoint tests on the local Hadoop file system: two small trained networks of the
 * same shape with different weights (trained once per class), and a fresh run directory per test.
 */
abstract class CheckpointTestBase {
  static MultiLayerNetwork net;
  static MultiLayerNetwork otherNet;

  @TempDir Path runDir;
  final Configuration conf = new Configuration();

  @BeforeAll
  static void trainNetworks() {
    net = TinyNetworks.trained(42);
    otherNet = TinyNetworks.trained(7);
  }

  /** A store in this test's run directory keeping the last {@code keepLast} checkpoints. */
  CheckpointStore store(int keepLast) throws IOException {
    return new CheckpointStore(runDir.toUri().toString(), conf, keepLast);
  }
}
