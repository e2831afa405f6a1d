package sparktrain.ml;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.checkpoint.CheckpointManifest;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.io.HadoopFiles;

/**
 * The files of a verified sparktrain model directory ({@code manifest.json}, {@code model.zip},
 * {@code normalizer.json} ...), held in memory so that a model outlives the run directory it was
 * trained in and is saved byte for byte: its manifest's hashes stay valid, plain DL4J reads its
 * {@code model.zip}, and {@code evaluate}/{@code predict --model} accept the saved directory.
 *
 * @param files file name to content
 */
record ModelFiles(Map<String, byte[]> files) {

  /** The files {@code model}'s manifest lists, and the manifest. */
  static ModelFiles of(LoadedCheckpoint model, Configuration conf) throws IOException {
    Path dir = new Path(model.uri());
    FileSystem fs = dir.getFileSystem(conf);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        CheckpointManifest.FILE_NAME,
        HadoopFiles.readAll(fs, new Path(dir, CheckpointManifest.FILE_NAME)));
    for (String name : model.manifest().files().keySet()) {
      files.put(name, HadoopFiles.readAll(fs, new Path(dir, name)));
    }
    return new ModelFiles(files);
  }

  /** Writes every file into {@code dirUri} (created if needed). */
  void write(String dirUri, Configuration conf) throws IOException {
    Path dir = new Path(dirUri);
    FileSystem fs = dir.getFileSystem(conf);
    fs.mkdirs(dir);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      HadoopFiles.writeAtomically(fs, new Path(dir, e.getKey()), e.getValue());
    }
  }
}
