package sparktrain.spark;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * One phase of a job (read data, epoch 3 fit, evaluation, checkpoint...): sets the Spark job group
 * and description so the Spark UI tells the story, and clears them when closed.
 *
 * <pre>{@code
 * try (SparkPhase p = SparkPhase.start(sc, "epoch-3-fit", "Epoch 3/5: parameter-averaged fit")) {
 *   sparkNet.fit(data);
 * }
 * }</pre>
 */
public final class SparkPhase implements AutoCloseable {
  private final JavaSparkContext sc;
  private final String groupId;

  private SparkPhase(JavaSparkContext sc, String groupId) {
    this.sc = sc;
    this.groupId = groupId;
  }

  /** Starts a phase: every Spark job submitted from this thread until {@link #close()} joins it. */
  public static SparkPhase start(JavaSparkContext sc, String groupId, String description) {
    sc.setJobGroup(groupId, description, false);
    sc.setJobDescription(description);
    return new SparkPhase(sc, groupId);
  }

  /** The Spark job group id of this phase. */
  public String groupId() {
    return groupId;
  }

  @Override
  public void close() {
    sc.clearJobGroup();
    sc.setJobDescription(null);
  }
}
