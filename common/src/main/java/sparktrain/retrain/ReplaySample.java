package sparktrain.retrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.DataConfig;
import sparktrain.config.DataFormat;
import sparktrain.config.JobConfig;
import sparktrain.config.SplitFractions;
import sparktrain.config.SplitPaths;
import sparktrain.data.DataSources;
import sparktrain.data.Example;
import sparktrain.data.IdxDataset;
import sparktrain.data.LabelIndex;
import sparktrain.data.TrainingData;

/**
 * A seeded sample of old training data to mix into a retrain's new data, so the model does not
 * forget what it learnt before ("replay").
 *
 * <p>The old data are the inputs the registry's watermark records for promoted versions ({@link
 * TrainingInputs#promoted}). An input that no longer exists, or whose content changed since, is
 * skipped with a warning: replay never trains on data other than what was recorded. Each input is
 * read with its recorded record range (csv, parquet, libsvm: also the training part of its recorded
 * random split) and sampled without replacement with {@code fraction}, so the sample holds about
 * {@code fraction} of the old records. Tabular inputs whose class names index differently from the
 * model's are skipped as well.
 */
final class ReplaySample {
  private static final Logger LOG = LoggerFactory.getLogger(ReplaySample.class);

  /** The sample and the inputs it was drawn from. */
  record Sample(JavaRDD<Example> examples, List<Map<String, Object>> sources) {}

  private ReplaySample() {}

  /**
   * The sample, or null if {@code fraction} is 0 or no recorded input is usable.
   *
   * @param inputs recorded inputs (maps of {@link TrainingInputs})
   * @param config the retrain's config: its seed, and for csv, parquet and libsvm inputs how rows
   *     are parsed (columns, label encoding, bad rows)
   * @param classes the class names the examples must be indexed by (the champion's), if names
   */
  static Sample draw(
      JavaSparkContext sc,
      List<Map<String, Object>> inputs,
      double fraction,
      JobConfig config,
      int partitions,
      Optional<LabelIndex> classes) {
    if (fraction <= 0 || inputs.isEmpty()) {
      return null;
    }
    JavaRDD<Example> all = null;
    List<Map<String, Object>> used = new ArrayList<>();
    for (Map<String, Object> recorded : inputs) {
      JavaRDD<Example> rdd = read(sc, recorded, config.data(), partitions, classes);
      if (rdd != null) {
        all = all == null ? rdd : all.union(rdd);
        used.add(recorded);
      }
    }
    if (all == null) {
      LOG.warn(
          "Replay: none of the {} recorded inputs is usable; training on new data only",
          inputs.size());
      return null;
    }
    JavaRDD<Example> sample =
        all.sample(false, fraction, config.training().seed()).setName("replay sample");
    return new Sample(sample, used);
  }

  /** The recorded input's records, or null (with a warning) if they cannot be replayed. */
  private static JavaRDD<Example> read(
      JavaSparkContext sc,
      Map<String, Object> recorded,
      DataConfig data,
      int partitions,
      Optional<LabelIndex> classes) {
    Object format = recorded.get(TrainingInputs.FORMAT);
    try {
      if (DataFormat.IDX.configName().equals(format)) {
        return idx(sc, recorded, partitions);
      }
      if (!data.format().configName().equals(format)) {
        LOG.warn(
            "Replay: skipping recorded input {} of format {} (this retrain reads {})",
            TrainingInputs.key(recorded),
            format,
            data.format().configName());
        return null;
      }
      return tabular(sc, recorded, data, partitions, classes);
    } catch (RuntimeException e) { // missing files, a malformed watermark entry, unreadable rows
      LOG.warn(
          "Replay: skipping recorded input {}: {}", TrainingInputs.key(recorded), e.toString());
      return null;
    }
  }

  private static JavaRDD<Example> idx(
      JavaSparkContext sc, Map<String, Object> recorded, int partitions) {
    String images = pathOf(recorded.get(TrainingInputs.IMAGES));
    String labels = pathOf(recorded.get(TrainingInputs.LABELS));
    int first = ((Number) recorded.get(TrainingInputs.FIRST_RECORD)).intValue();
    int end = ((Number) recorded.get(TrainingInputs.END_RECORD)).intValue();
    Map<String, Object> now =
        TrainingInputs.idx(images, labels, first, end - first, sc.hadoopConfiguration());
    if (changed(now, recorded)) {
      return null;
    }
    LOG.info("Replay: sampling records [{}, {}) of {} + {}", first, end, images, labels);
    return IdxDataset.read(sc, images, labels, first, end - first, partitions);
  }

  /**
   * A csv, parquet or libsvm input, read the way it was recorded: the same files, the training part
   * of the same random split, the same row range; rows parsed as {@code data} says.
   */
  private static JavaRDD<Example> tabular(
      JavaSparkContext sc,
      Map<String, Object> recorded,
      DataConfig data,
      int partitions,
      Optional<LabelIndex> classes) {
    String path = recorded.get(TrainingInputs.PATH).toString();
    SplitFractions heldOut = new SplitFractions(0, 0);
    long seed = data.seed();
    if (recorded.get(TrainingInputs.SPLIT) instanceof Map<?, ?> split) {
      heldOut =
          new SplitFractions(
              ((Number) split.get(TrainingInputs.SPLIT_VALIDATION)).doubleValue(),
              ((Number) split.get(TrainingInputs.SPLIT_TEST)).doubleValue());
      seed = ((Number) split.get(TrainingInputs.SPLIT_SEED)).longValue();
    }
    int first = ((Number) recorded.get(TrainingInputs.FIRST_RECORD)).intValue();
    int limit = ((Number) recorded.get(TrainingInputs.RECORD_LIMIT)).intValue();
    Map<String, Object> now =
        TrainingInputs.tabular(
            data.format(), path, heldOut, seed, first, limit, sc.hadoopConfiguration());
    if (changed(now, recorded)) {
      return null;
    }
    // The recorded input is the main input; a test split is needed for reading, so without a
    // held-out test fraction the input is also read as the (unused) test split.
    String test = heldOut.test() > 0 ? "" : path;
    DataConfig replay =
        new DataConfig(
            data.format(),
            path,
            new SplitPaths("", "", ""),
            new SplitPaths("", "", ""),
            new SplitPaths("", "", test),
            heldOut,
            data.csv(),
            data.libsvmNumFeatures(),
            data.columns(),
            data.badRows(),
            limit,
            first,
            0,
            data.numClasses(),
            data.normalization(),
            data.partitions(),
            data.task(),
            seed);
    TrainingData read = DataSources.read(sc, replay, partitions);
    if (!read.labelIndex().equals(classes)) {
      LOG.warn(
          "Replay: skipping {}: its class names {} are not the model's {}",
          path,
          read.labelIndex().map(LabelIndex::classes).orElse(List.of()),
          classes.map(LabelIndex::classes).orElse(List.of()));
      return null;
    }
    LOG.info("Replay: sampling the recorded training rows of {}", path);
    return read.train();
  }

  private static boolean changed(Map<String, Object> now, Map<String, Object> recorded) {
    if (Objects.equals(TrainingInputs.key(now), TrainingInputs.key(recorded))) {
      return false;
    }
    LOG.warn(
        "Replay: skipping {}: the files changed since version {} was trained on them",
        TrainingInputs.key(recorded),
        recorded.get(TrainingInputs.VERSION));
    return true;
  }

  private static String pathOf(Object fingerprint) {
    if (fingerprint instanceof Map<?, ?> m && m.get("path") != null) {
      return m.get("path").toString();
    }
    throw new IllegalArgumentException("Not a recorded file fingerprint: " + fingerprint);
  }
}
