package sparktrain.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.io.HadoopFiles;

/**
 * Fingerprint of an input file for a model's provenance: path, size, modification time, and a
 * content hash. Files up to {@link #SHA256_LIMIT_BYTES} are hashed with SHA-256 on the driver;
 * larger ones use the file system's own checksum (HDFS: MD5 of CRCs) so the driver never streams a
 * big data set.
 */
public final class InputFingerprint {
  /** Files up to this size get a full SHA-256. */
  public static final long SHA256_LIMIT_BYTES = 256L << 20;

  private InputFingerprint() {}

  /** Fingerprint of one file, as a JSON-ready map. */
  public static Map<String, Object> of(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus st = fs.getFileStatus(p);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", fs.makeQualified(p).toString());
      m.put("bytes", st.getLen());
      m.put("modified", st.getModificationTime());
      if (st.getLen() <= SHA256_LIMIT_BYTES) {
        m.put("sha256", HadoopFiles.sha256(fs, p));
      } else {
        FileChecksum c = fs.getFileChecksum(p);
        m.put("checksum", c == null ? null : c.toString());
      }
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint input " + path, e);
    }
  }
}
