package sparktrain.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The distributed examples of a job, as read from the configured sources, before normalization and
 * batching.
 *
 * @param train training examples
 * @param test held-out examples for evaluation
 * @param inputs every input file read (for provenance fingerprints)
 */
public record TrainingData(JavaRDD<Example> train, JavaRDD<Example> test, List<String> inputs) {}
