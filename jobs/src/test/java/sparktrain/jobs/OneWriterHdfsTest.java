package sparktrain.jobs;

import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.RegisterExtension;
import sparktrain.testing.MiniHdfs;

/** {@link OneWriterContract} on a real HDFS (MiniDFSCluster), reached by the CLI processes. */
class OneWriterHdfsTest extends OneWriterContract {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  @Override
  String dir(String name) {
    return HDFS.uri("/one-writer-" + UUID.randomUUID() + "/" + name);
  }

  @Override
  FileSystem fs() {
    return HDFS.fs();
  }
}
