package sparktrain.retrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.data.Example;
import sparktrain.data.IdxDataset;

/**
 * A seeded sample of old training data to mix into a retrain's new data, so the model does not
 * forget what it learnt before ("replay").
 *
 * <p>The old data are the inputs the registry's watermark records for promoted versions ({@link
 * TrainingInputs#promoted}). An input that no longer exists, or whose content changed since, is
 * skipped with a warning: replay never trains on data other than what was recorded. Each input is
 * read with its recorded record range and sampled without replacement with {@code fraction}, so the
 * sample holds about {@code fraction} of the old records.
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
   */
  static Sample draw(
      JavaSparkContext sc,
      List<Map<String, Object>> inputs,
      double fraction,
      long seed,
      int partitions) {
    if (fraction <= 0 || inputs.isEmpty()) {
      return null;
    }
    JavaRDD<Example> all = null;
    List<Map<String, Object>> used = new ArrayList<>();
    for (Map<String, Object> recorded : inputs) {
      JavaRDD<Example> rdd = read(sc, recorded, partitions);
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
    JavaRDD<Example> sample = all.sample(false, fraction, seed).setName("replay sample");
    return new Sample(sample, used);
  }

  /** The recorded input's records, or null (with a warning) if they cannot be replayed. */
  private static JavaRDD<Example> read(
      JavaSparkContext sc, Map<String, Object> recorded, int partitions) {
    if (!"idx".equals(recorded.get("format"))) {
      LOG.warn(
          "Replay: skipping input of format {} (only idx is replayed)", recorded.get("format"));
      return null;
    }
    String images;
    String labels;
    int first;
    int end;
    try {
      images = pathOf(recorded.get("images"));
      labels = pathOf(recorded.get("labels"));
      first = ((Number) recorded.get("first_record")).intValue();
      end = ((Number) recorded.get("end_record")).intValue();
      Map<String, Object> now =
          TrainingInputs.idx(images, labels, first, end - first, sc.hadoopConfiguration());
      if (!Objects.equals(TrainingInputs.key(now), TrainingInputs.key(recorded))) {
        LOG.warn(
            "Replay: skipping {} + {}: the files changed since version {} was trained on them",
            images,
            labels,
            recorded.get(TrainingInputs.VERSION));
        return null;
      }
    } catch (RuntimeException e) { // missing files, a malformed watermark entry
      LOG.warn(
          "Replay: skipping recorded input {}: {}", TrainingInputs.key(recorded), e.toString());
      return null;
    }
    LOG.info("Replay: sampling records [{}, {}) of {} + {}", first, end, images, labels);
    return IdxDataset.read(sc, images, labels, first, end - first, partitions);
  }

  private static String pathOf(Object fingerprint) {
    if (fingerprint instanceof Map<?, ?> m && m.get("path") != null) {
      return m.get("path").toString();
    }
    throw new IllegalArgumentException("Not a recorded file fingerprint: " + fingerprint);
  }
}
