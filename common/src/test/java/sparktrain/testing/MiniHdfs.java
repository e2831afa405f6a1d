package sparktrain.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import sparktrain.io.HadoopFiles;

/**
 * A real (mini) HDFS, one NameNode and one DataNode, for the tests of one class: started before the
 * class's {@code @BeforeAll} methods, shut down (its storage deleted) after its {@code AfterAll}
 * methods, so a Spark session stopped there is gone first.
 *
 * <pre>{@code @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();}</pre>
 */
public final class MiniHdfs implements BeforeAllCallback, AfterAllCallback {
  private File base;
  private MiniDFSCluster cluster;
  private FileSystem fs;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    java.nio.file.Path parent = Paths.get("target", "tmp").toAbsolutePath();
    Files.createDirectories(parent);
    base = Files.createTempDirectory(parent, "minihdfs-").toFile();
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (cluster != null) {
        cluster.shutdown();
      }
    } finally {
      cluster = null;
      fs = null;
      if (base != null) {
        FileUtil.fullyDelete(base);
      }
    }
  }

  /** The cluster's file system. */
  public FileSystem fs() {
    return fs;
  }

  /** The configuration that reaches the cluster (its default file system is the cluster's). */
  public Configuration conf() {
    return fs.getConf();
  }

  /** The full {@code hdfs://host:port/...} URI of an absolute {@code path} on the cluster. */
  public String uri(String path) {
    return fs.getUri() + path;
  }

  /** Writes {@code bytes} to the file at {@code uri} (atomically, as the code under test does). */
  public void put(String uri, byte[] bytes) throws IOException {
    HadoopFiles.writeAtomically(fs, new Path(uri), bytes);
  }

  /** Copies a local file or directory to {@code path} on the cluster. */
  public void copyFromLocal(java.nio.file.Path local, String path) throws IOException {
    fs.copyFromLocalFile(new Path(local.toUri()), new Path(path));
  }
}
