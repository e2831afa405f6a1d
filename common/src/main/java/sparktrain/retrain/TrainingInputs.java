package sparktrain.retrain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import sparktrain.config.DataConfig;
import sparktrain.config.DataFormat;
import sparktrain.config.SplitFractions;
import sparktrain.data.DataException;
import sparktrain.data.HadoopPaths;
import sparktrain.data.IdxHeader;
import sparktrain.data.InputFiles;
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
 * new data, while another range of the same files, or a changed labels file, is. For csv, parquet
 * and libsvm it is the files of the training input ({@code data.train.path}, or {@code data.path}
 * with the fractions and seed of its random split, which decide the training rows) and the row
 * range read; its key is built from the files' contents, the split and the range the same way.
 */
public final class TrainingInputs {
  /** Identity of an input; equal keys mean the same data. */
  public static final String KEY = "key";

  /** Registry version trained on the input (set when recorded in the watermark). */
  public static final String VERSION = "version";

  /** Whether that version became champion (only such inputs are replayed). */
  public static final String PROMOTED = "promoted";

  // Keys of an input's entry, written here and read back by ReplaySample.
  static final String FORMAT = "format";
  static final String PATH = "path";
  static final String IMAGES = "images";
  static final String LABELS = "labels";
  static final String FIRST_RECORD = "first_record";
  static final String END_RECORD = "end_record";
  static final String RECORD_LIMIT = "record_limit";
  static final String SPLIT = "split";
  static final String SPLIT_VALIDATION = "validation";
  static final String SPLIT_TEST = "test";
  static final String SPLIT_SEED = "seed";
  static final String CONSUMED_AT = "consumed_at";
  static final String FILES = "files";
  static final String RECORDS = "records";

  private TrainingInputs() {}

  /**
   * The training split the {@code data} section names, fingerprinted.
   *
   * @throws DataException if a file is missing or the offset leaves no records
   */
  public static Map<String, Object> trainSplit(DataConfig data, Configuration conf) {
    if (data.format() == DataFormat.IDX) {
      return idx(
          data.train().images(),
          data.train().labels(),
          data.trainOffset(),
          data.trainLimit(),
          conf);
    }
    boolean split = !data.path().isBlank();
    double validation = split && !data.validation().hasPath() ? data.split().validation() : 0;
    double test = split && !data.test().hasPath() ? data.split().test() : 0;
    return tabular(
        data.format(),
        data.mainPath(),
        new SplitFractions(validation, test),
        data.seed(),
        data.trainOffset(),
        data.trainLimit(),
        conf);
  }

  /**
   * A csv, parquet or libsvm input: the files at {@code path}, the training part of its random
   * split ({@code heldOut}: the validation and test fractions taken from it with {@code seed}; none
   * when both are 0), rows {@code [offset, offset + limit)} of that part (limit 0: to the end).
   */
  static Map<String, Object> tabular(
      DataFormat format,
      String path,
      SplitFractions heldOut,
      long seed,
      int offset,
      int limit,
      Configuration conf) {
    String qualified = HadoopPaths.qualify(path, conf).toString();
    List<Map<String, Object>> prints = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String file : InputFiles.list(path, conf)) {
      Map<String, Object> print = InputFingerprint.of(file, conf);
      prints.add(print);
      ids.add(contentId(print));
    }
    boolean split = heldOut.validation() > 0 || heldOut.test() > 0;
    String rows = limit == 0 ? offset + ",end" : offset + "," + ((long) offset + limit);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        KEY,
        String.format(
            Locale.ROOT,
            "%s files=%s%s rows=[%s)",
            format.configName(),
            ids,
            split
                ? String.format(
                    Locale.ROOT,
                    " training-part-of-split(validation=%s,test=%s,seed=%d)",
                    heldOut.validation(),
                    heldOut.test(),
                    seed)
                : "",
            rows));
    m.put(FORMAT, format.configName());
    m.put(PATH, qualified);
    m.put(FILES, prints);
    if (split) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put(SPLIT_VALIDATION, heldOut.validation());
      s.put(SPLIT_TEST, heldOut.test());
      s.put(SPLIT_SEED, seed);
      m.put(SPLIT, s);
    }
    m.put(FIRST_RECORD, offset);
    m.put(RECORD_LIMIT, limit);
    return m;
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
    m.put(FORMAT, DataFormat.IDX.configName());
    m.put(IMAGES, imagesPrint);
    m.put(LABELS, labelsPrint);
    m.put(FIRST_RECORD, offset);
    m.put(END_RECORD, end);
    m.put(RECORDS, end - offset);
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
    recorded.put(CONSUMED_AT, Instant.now().toString());
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
