package sparktrain.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;

/**
 * The distributed examples of a job, as read from the configured sources, before normalization and
 * batching, with what was learned about them on the way.
 *
 * @param train training examples
 * @param test held-out examples for evaluation
 * @param inputs every input file read (for provenance fingerprints)
 * @param validation held-out validation examples, if the config asks for a validation split
 * @param featureNames the feature columns in order (empty when the format has no names, e.g. IDX)
 * @param labelIndex the class names of a label written as names, and their indexes
 * @param skippedRows bad rows skipped ({@code data.bad-rows = skip}), by {@link BadRowKind#key()}
 */
public record TrainingData(
    JavaRDD<Example> train,
    JavaRDD<Example> test,
    List<String> inputs,
    Optional<JavaRDD<Example>> validation,
    List<String> featureNames,
    Optional<LabelIndex> labelIndex,
    Map<String, Long> skippedRows) {

  /** Checks for nulls and copies the lists and the map. */
  public TrainingData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    inputs = List.copyOf(inputs);
    validation = Objects.requireNonNull(validation, "validation");
    featureNames = List.copyOf(featureNames);
    labelIndex = Objects.requireNonNull(labelIndex, "labelIndex");
    skippedRows = Map.copyOf(skippedRows);
  }

  /** Training and test examples only: no validation split, names, label index or skipped rows. */
  public TrainingData(JavaRDD<Example> train, JavaRDD<Example> test, List<String> inputs) {
    this(train, test, inputs, Optional.empty(), List.of(), Optional.empty(), Map.of());
  }

  /** The number of features when the names are known, else 0. */
  public int numFeatures() {
    return featureNames.size();
  }

  /** The total number of skipped rows. */
  public long skippedTotal() {
    return skippedRows.values().stream().mapToLong(Long::longValue).sum();
  }
}
