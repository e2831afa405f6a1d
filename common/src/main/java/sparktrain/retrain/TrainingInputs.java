package sparktrain.retrain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import sparktrain.config.ConfigException;
import sparktrain.config.DataConfig;
import sparktrain.config.DataFormat;
import sparktrain.data.DataException;
import sparktrain.data.HadoopPaths;
import sparktrain.data.IdxHeader;
import sparktrain.data.InputFingerprint;
import sparktrain.registry.RetrainWatermark;

/**
 * The training inputs a run consumes, identified by content, and the registry's record of what was
 * consumed ({@link RetrainWatermark}): "new data" is a training input whose identity the watermark
 * does not hold yet.
 *
 * <p>An input is a JSON-ready map. For the idx format it is the pair of files with the record range
 * read ({@code data.train-offset}, {@code data.train-limit}); its {@value #KEY} is the SHA-256 of
 * both files (the file system's checksum, path and size for files over {@link
 * InputFingerprint#SHA256_LIMIT_BYTES}) and the range, so a copy of the same files elsewhere is not
 * new data, while another range of the same files, or a changed labels file, is.
 */
public final class TrainingInputs {
  /** Identity of an input; equal keys mean the same data. */
  public static final String KEY = "key";

  /** Registry version trained on the input (set when recorded in the watermark). */
  public static final String VERSION = "version";

  /** Whether that version became champion (only such inputs are replayed). */
  public static final String PROMOTED = "promoted";

  private TrainingInputs() {}

  /**
   * The training split the {@code data} section names, fingerprinted.
   *
   * @throws ConfigException for a data format retraining does not support yet
   * @throws DataException if a file is missing or the offset leaves no records
   */
  public static Map<String, Object> trainSplit(DataConfig data, Configuration conf) {
    if (data.format() != DataFormat.IDX) {
      throw new ConfigException(
          List.of(
              "data.format: retraining reads idx training data so far, got '"
                  + data.format().configName()
                  + "'"));
    }
    return idx(
        data.train().images(), data.train().labels(), data.trainOffset(), data.trainLimit(), conf);
  }

  /** An IDX file pair with records {@code [offset, offset + limit)} (limit 0: to the end). */
  static Map<String, Object> idx(
      String imagesPath, String labelsPath, int offset, int limit, Configuration conf) {
    String images = HadoopPaths.qualify(imagesPath, conf).toString();
    String labels = HadoopPaths.qualify(labelsPath, conf).toString();
    int count = IdxHeader.read(HadoopPaths.qualify(imagesPath, conf), conf).count();
    IdxHeader.read(HadoopPaths.qualify(labelsPath, conf), conf); // a missing file: DataException
    if (offset > 0 && offset >= count) {
      throw new DataException(
          String.format(
              "%s has %d records; an offset of %d (data.train-offset) leaves none",
              images, count, offset));
    }
    long end = limit == 0 ? count : Math.min(count, (long) offset + limit);
    Map<String, Object> imagesPrint = InputFingerprint.of(images, conf);
    Map<String, Object> labelsPrint = InputFingerprint.of(labels, conf);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        KEY,
        String.format(
            "idx images=%s labels=%s records=[%d,%d)",
            contentId(imagesPrint), contentId(labelsPrint), offset, end));
    m.put("format", "idx");
    m.put("images", imagesPrint);
    m.put("labels", labelsPrint);
    m.put("first_record", offset);
    m.put("end_record", end);
    m.put("records", end - offset);
    return m;
  }

  /** SHA-256 of the content if known, else path, size, modification time and checksum. */
  private static String contentId(Map<String, Object> fingerprint) {
    Object sha = fingerprint.get("sha256");
    if (sha != null) {
      return "sha256:" + sha;
    }
    return String.format(
        "file:%s@%s/%s/%s",
        fingerprint.get("path"),
        fingerprint.get("bytes"),
        fingerprint.get("modified"),
        fingerprint.get("checksum"));
  }

  /** The identity of an input map, or null if it has none. */
  public static String key(Map<String, Object> input) {
    Object k = input.get(KEY);
    return k == null ? null : k.toString();
  }

  /** Whether the watermark records an input with the same identity as {@code input}. */
  public static boolean consumed(Map<String, Object> input, Optional<RetrainWatermark> watermark) {
    String key = key(input);
    return watermark.isPresent()
        && watermark.get().inputs().stream().anyMatch(i -> Objects.equals(key, key(i)));
  }

  /**
   * The watermark after a run consumed {@code input}: earlier inputs are kept (an input with the
   * same identity is replaced), {@code input} is added with the version and whether it was
   * promoted.
   */
  public static RetrainWatermark consume(
      Optional<RetrainWatermark> old, Map<String, Object> input, String version, boolean promoted) {
    List<Map<String, Object>> inputs = new ArrayList<>();
    String key = key(input);
    if (old.isPresent()) {
      for (Map<String, Object> i : old.get().inputs()) {
        if (!Objects.equals(key, key(i))) {
          inputs.add(i);
        }
      }
    }
    Map<String, Object> recorded = new LinkedHashMap<>(input);
    recorded.put(VERSION, version);
    recorded.put(PROMOTED, promoted);
    recorded.put("consumed_at", Instant.now().toString());
    inputs.add(recorded);
    return RetrainWatermark.now(
        version, inputs, old.map(RetrainWatermark::maxPartition).orElse(null));
  }

  /** Inputs of the watermark that a promoted version was trained on: the replay pool. */
  public static List<Map<String, Object>> promoted(Optional<RetrainWatermark> watermark) {
    List<Map<String, Object>> out = new ArrayList<>();
    watermark.ifPresent(
        w ->
            w.inputs().stream()
                .filter(i -> Boolean.TRUE.equals(i.get(PROMOTED)))
                .forEach(out::add));
    return out;
  }
}
