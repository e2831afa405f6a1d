package sparktrain.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A checkpoint or model directory whose files were verified against its manifest. Extra files are
 * held in memory; the network is deserialized on demand from {@code model.zip}.
 */
public final class LoadedCheckpoint {
  private final FileSystem fs;
  private final Path dir;
  private final CheckpointManifest manifest;
  private final Map<String, byte[]> extraFiles;

  LoadedCheckpoint(
      FileSystem fs, Path dir, CheckpointManifest manifest, Map<String, byte[]> extraFiles) {
    this.fs = fs;
    this.dir = dir;
    this.manifest = manifest;
    this.extraFiles = Map.copyOf(extraFiles);
  }

  /** Directory name, e.g. {@code epoch-0003} or {@code model}. */
  public String name() {
    return dir.getName();
  }

  /** Fully qualified URI of the directory. */
  public String uri() {
    return dir.toUri().toString();
  }

  /** The parsed {@code manifest.json}. */
  public CheckpointManifest manifest() {
    return manifest;
  }

  /** Completed epochs recorded in the manifest. */
  public int epoch() {
    return manifest.epoch();
  }

  /** Network iteration count recorded in the manifest. */
  public long iteration() {
    return manifest.iteration();
  }

  /** Run id recorded in the manifest. */
  public String runId() {
    return manifest.runId();
  }

  /** Parent checkpoint name, or null. */
  public String parent() {
    return manifest.parent();
  }

  /** Metrics recorded in the manifest. */
  public Map<String, Double> metrics() {
    return manifest.metrics();
  }

  /** Resolved run configuration recorded in the manifest. */
  public String resolvedConfig() {
    return manifest.config();
  }

  /** Caller-supplied provenance recorded in the manifest. */
  public Map<String, Object> provenance() {
    return manifest.provenance();
  }

  /**
   * Deserializes the network from {@code model.zip} with its updater state. Each call reads the
   * file again and returns a new, independent network.
   */
  public MultiLayerNetwork network() throws IOException {
    Path model = new Path(dir, CheckpointManifest.MODEL_FILE);
    try (InputStream in = fs.open(model)) {
      return ModelSerializer.restoreMultiLayerNetwork(in, true);
    } catch (IOException | RuntimeException e) {
      throw new IOException("Could not restore the network from " + model + ": " + e, e);
    }
  }

  /** Names of the extra files (everything except {@code model.zip} and the manifest). */
  public Set<String> extraFileNames() {
    return extraFiles.keySet();
  }

  /**
   * Content of an extra file given when the directory was written, e.g. {@code normalizer.json}.
   *
   * @throws NoSuchElementException if there is no such file
   */
  public byte[] extraFile(String name) {
    byte[] data = extraFiles.get(name);
    if (data == null) {
      throw new NoSuchElementException(
          "No extra file '" + name + "' in " + uri() + "; present: " + extraFiles.keySet());
    }
    return data.clone();
  }

  @Override
  public String toString() {
    return "LoadedCheckpoint[" + uri() + ", epoch " + epoch() + "]";
  }
}
