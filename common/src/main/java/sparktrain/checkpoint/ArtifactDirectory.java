package sparktrain.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import sparktrain.io.HadoopFiles;
import sparktrain.provenance.Versions;

/**
 * Writes and verifies the file format shared by checkpoints and model directories: {@code
 * model.zip}, caller-supplied extra files and {@code manifest.json} holding the SHA-256 and size of
 * every other file. Publishing (renames, pointers) is up to the callers.
 */
final class ArtifactDirectory {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ArtifactDirectory() {}

  /**
   * Writes all files into the new directory {@code dir} (which must not exist yet), the manifest
   * last, each synced before close.
   */
  static CheckpointManifest write(
      FileSystem fs,
      Path dir,
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles)
      throws IOException {
    Map<String, byte[]> extras = extraFiles == null ? Map.of() : extraFiles;
    extras.keySet().forEach(ArtifactDirectory::checkExtraFileName);
    if (fs.exists(dir)) {
      throw new IOException("Refusing to write into existing directory " + dir);
    }
    if (!fs.mkdirs(dir)) {
      throw new IOException("Could not create directory " + dir);
    }
    Map<String, CheckpointManifest.FileEntry> files = new LinkedHashMap<>();
    files.put(
        CheckpointManifest.MODEL_FILE,
        writeFile(
            fs,
            new Path(dir, CheckpointManifest.MODEL_FILE),
            out -> ModelSerializer.writeModel(net, out, true)));
    for (Map.Entry<String, byte[]> e : extras.entrySet()) {
      byte[] data = e.getValue();
      files.put(e.getKey(), writeFile(fs, new Path(dir, e.getKey()), out -> out.write(data)));
    }
    CheckpointManifest manifest =
        new CheckpointManifest(
            CheckpointManifest.FORMAT_VERSION,
            Instant.now().toString(),
            meta.runId(),
            meta.parent(),
            meta.epoch(),
            meta.iteration(),
            meta.metrics(),
            meta.resolvedConfig(),
            net.getLayerWiseConfigurations().toJson(),
            meta.provenance(),
            Versions.writer(),
            files);
    byte[] json = JSON.writeValueAsBytes(manifest);
    writeFile(fs, new Path(dir, CheckpointManifest.FILE_NAME), out -> out.write(json));
    return manifest;
  }

  /**
   * Reads {@code dir}'s manifest and verifies every file it lists (SHA-256 and size); extra files
   * are loaded into memory, {@code model.zip} is only hashed here.
   *
   * @throws CheckpointCorruptException naming the file on a missing or mismatching file or an
   *     unreadable manifest
   */
  static LoadedCheckpoint readVerified(FileSystem fs, Path dir) throws IOException {
    Path qualified = fs.makeQualified(dir);
    CheckpointManifest manifest = readManifest(fs, qualified);
    Map<String, byte[]> extras = new LinkedHashMap<>();
    for (Map.Entry<String, CheckpointManifest.FileEntry> e : manifest.files().entrySet()) {
      String name = e.getKey();
      Path file = new Path(qualified, name);
      String actualHash;
      long actualBytes;
      try {
        if (name.equals(CheckpointManifest.MODEL_FILE)) {
          actualHash = HadoopFiles.sha256(fs, file);
          actualBytes = fs.getFileStatus(file).getLen();
        } else {
          byte[] data = HadoopFiles.readAll(fs, file);
          actualHash = HadoopFiles.sha256(data);
          actualBytes = data.length;
          extras.put(name, data);
        }
      } catch (FileNotFoundException ex) {
        throw new CheckpointCorruptException(
            "File " + name + " listed in " + CheckpointManifest.FILE_NAME + " is missing: " + file,
            ex);
      } catch (ChecksumException ex) {
        throw new CheckpointCorruptException(
            String.format(
                "File %s in %s is corrupt (file system checksum error; manifest expects SHA-256"
                    + " %s): %s",
                name, qualified, e.getValue() == null ? null : e.getValue().sha256(), ex),
            ex);
      }
      CheckpointManifest.FileEntry expected = e.getValue();
      if (expected == null
          || !actualHash.equalsIgnoreCase(expected.sha256())
          || actualBytes != expected.bytes()) {
        throw new CheckpointCorruptException(
            String.format(
                "File %s in %s fails verification: expected SHA-256 %s (%s bytes), actual %s (%d"
                    + " bytes)",
                name,
                qualified,
                expected == null ? null : expected.sha256(),
                expected == null ? null : expected.bytes(),
                actualHash,
                actualBytes));
      }
    }
    return new LoadedCheckpoint(fs, qualified, manifest, extras);
  }

  /** Reads and sanity-checks {@code manifest.json} of {@code dir}. */
  static CheckpointManifest readManifest(FileSystem fs, Path dir) throws IOException {
    Path file = new Path(dir, CheckpointManifest.FILE_NAME);
    CheckpointManifest manifest;
    try (InputStream in = fs.open(file)) {
      manifest = JSON.readValue(in, CheckpointManifest.class);
    } catch (FileNotFoundException e) {
      throw new CheckpointCorruptException(
          "File " + CheckpointManifest.FILE_NAME + " is missing: " + file, e);
    } catch (ChecksumException e) {
      throw new CheckpointCorruptException(
          "File "
              + CheckpointManifest.FILE_NAME
              + " is corrupt (file system checksum error): "
              + file,
          e);
    } catch (JacksonException e) {
      throw new CheckpointCorruptException(
          "File "
              + CheckpointManifest.FILE_NAME
              + " is unreadable: "
              + file
              + ": "
              + e.getOriginalMessage(),
          e);
    }
    if (manifest == null || manifest.formatVersion() != CheckpointManifest.FORMAT_VERSION) {
      throw new CheckpointCorruptException(
          "File "
              + CheckpointManifest.FILE_NAME
              + " has unsupported format_version "
              + (manifest == null ? null : manifest.formatVersion())
              + " (expected "
              + CheckpointManifest.FORMAT_VERSION
              + "): "
              + file);
    }
    if (!manifest.files().containsKey(CheckpointManifest.MODEL_FILE)) {
      throw new CheckpointCorruptException(
          "File "
              + CheckpointManifest.FILE_NAME
              + " lists no "
              + CheckpointManifest.MODEL_FILE
              + ": "
              + file);
    }
    return manifest;
  }

  /**
   * Moves the finished directory {@code tmp} to {@code target}. An existing {@code target} is
   * refused unless {@code replace}; then it is first renamed aside (so it is never half-deleted),
   * restored if the final rename fails, and deleted only after the new one is in place.
   *
   * @throws FileAlreadyExistsException if {@code target} exists and {@code replace} is false
   */
  static void publish(FileContext fc, Path tmp, Path target, boolean replace) throws IOException {
    Path aside = null;
    if (fc.util().exists(target)) {
      if (!replace) {
        throw new FileAlreadyExistsException("Directory already exists: " + target);
      }
      aside =
          new Path(
              target.getParent(),
              HadoopFiles.TMP_PREFIX + target.getName() + "-replaced-" + UUID.randomUUID());
      fc.rename(target, aside);
    }
    try {
      fc.rename(tmp, target);
    } catch (IOException | RuntimeException e) {
      if (aside != null) {
        try {
          fc.rename(aside, target);
        } catch (IOException | RuntimeException restore) {
          e.addSuppressed(restore);
        }
      }
      throw e;
    }
    if (aside != null) {
      HadoopFiles.deleteQuietly(fc, aside);
    }
  }

  /** Extra file names are plain, visible file names other than the reserved ones. */
  static void checkExtraFileName(String name) {
    if (name == null
        || name.isEmpty()
        || name.contains("/")
        || name.contains("\\")
        || name.contains(":")
        || name.startsWith(".")
        || name.startsWith("_")
        || name.endsWith(".crc")
        || name.equals(CheckpointManifest.FILE_NAME)
        || name.equals(CheckpointManifest.MODEL_FILE)) {
      throw new IllegalArgumentException(
          "Invalid extra file name '"
              + name
              + "': must be a plain file name, not hidden, not a .crc file and not "
              + CheckpointManifest.MODEL_FILE
              + " or "
              + CheckpointManifest.FILE_NAME);
    }
  }

  @FunctionalInterface
  private interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Creates {@code file}, hashing and counting what is written; syncs before close. */
  private static CheckpointManifest.FileEntry writeFile(FileSystem fs, Path file, Writer writer)
      throws IOException {
    MessageDigest digest = HadoopFiles.newSha256();
    try (FSDataOutputStream raw = fs.create(file, false)) {
      // closing the digest stream only flushes, so that raw can still be synced
      try (OutputStream out = new DigestOutputStream(HadoopFiles.closeShield(raw), digest)) {
        writer.writeTo(HadoopFiles.closeShield(out));
      }
      HadoopFiles.sync(raw);
      return new CheckpointManifest.FileEntry(
          HexFormat.of().formatHex(digest.digest()), raw.getPos());
    }
  }
}
