package sparktrain.registry;

import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.RegisterExtension;
import sparktrain.testing.MiniHdfs;

/** The registry contract on a real (mini) HDFS: exclusive create and renames by the NameNode. */
class ModelRegistryHdfsTest extends RegistryContract {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  @Override
  String freshBase() {
    return HDFS.uri("/" + UUID.randomUUID());
  }

  @Override
  Configuration conf() {
    return HDFS.conf();
  }
}
