package sparktrain.registry;

import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on a real (mini) HDFS: exclusive create and renames by the NameNode. */
class ModelRegistryHdfsTest extends RegistryContract {
  @TempDir static Path base;

  private static MiniDFSCluster cluster;
  private static FileSystem fs;

  @BeforeAll
  static void startCluster() throws Exception {
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Override
  String freshBase() {
    return fs.getUri() + "/" + UUID.randomUUID();
  }

  @Override
  Configuration conf() {
    return fs.getConf();
  }
}
