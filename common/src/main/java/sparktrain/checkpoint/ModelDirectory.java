package sparktrain.checkpoint;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import sparktrain.io.HadoopFiles;

/**
 * A model directory at a fixed path (a run's final {@code model/}, a registry version): the same
 * files as a checkpoint ({@code model.zip}, extra files, {@code manifest.json}), written into a
 * sibling temporary directory and published by renaming it into place.
 */
public final class ModelDirectory {
  private ModelDirectory() {}

  /**
   * Writes a new model directory at {@code dirUri}; refuses to replace an existing one.
   *
   * @throws FileAlreadyExistsException if {@code dirUri} exists
   */
  public static CheckpointInfo write(
      String dirUri,
      Configuration conf,
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles)
      throws IOException {
    return write(dirUri, conf, net, meta, extraFiles, false);
  }

  /**
   * Writes a model directory at {@code dirUri}. With {@code overwrite}, an existing directory is
   * renamed aside, replaced by the new one, and only then deleted.
   *
   * @throws FileAlreadyExistsException if {@code dirUri} exists and {@code overwrite} is false
   */
  public static CheckpointInfo write(
      String dirUri,
      Configuration conf,
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles,
      boolean overwrite)
      throws IOException {
    Path raw = new Path(dirUri);
    FileSystem fs = raw.getFileSystem(conf);
    Path target = fs.makeQualified(raw);
    if (target.getParent() == null) {
      throw new IllegalArgumentException("A model directory cannot be a root: " + dirUri);
    }
    if (!overwrite && fs.exists(target)) {
      throw new FileAlreadyExistsException(
          "Model directory already exists (overwrite=false): " + target);
    }
    FileContext fc = HadoopFiles.fileContext(fs);
    Path tmp = HadoopFiles.tempSibling(target);
    boolean published = false;
    try {
      CheckpointManifest manifest = ArtifactDirectory.write(fs, tmp, net, meta, extraFiles);
      ArtifactDirectory.publish(fc, tmp, target, overwrite);
      published = true;
      return new CheckpointInfo(
          target.getName(), target.toUri().toString(), manifest.epoch(), manifest.iteration());
    } finally {
      if (!published) {
        HadoopFiles.deleteQuietly(fc, tmp);
      }
    }
  }

  /**
   * Reads the model directory at {@code uri}, verifying every file against its manifest.
   *
   * @throws CheckpointCorruptException naming the file on a hash mismatch, a missing file or an
   *     unreadable manifest
   * @throws java.io.FileNotFoundException if the directory does not exist
   */
  public static LoadedCheckpoint read(String uri, Configuration conf) throws IOException {
    Path raw = new Path(uri);
    FileSystem fs = raw.getFileSystem(conf);
    Path dir = fs.makeQualified(raw);
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new IOException("Not a model directory: " + dir);
    }
    return ArtifactDirectory.readVerified(fs, dir);
  }
}
