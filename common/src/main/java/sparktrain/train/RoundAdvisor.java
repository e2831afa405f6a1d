package sparktrain.train;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the first averaging rounds of a run and warns, with a concrete suggestion, when Spark's
 * overhead dominates training.
 *
 * <p>A round of parameter averaging is one Spark job: every worker's task fits {@code
 * averaging-frequency} minibatches, then the driver aggregates and broadcasts the parameters. The
 * advisor takes the round's wall time from the job's start and end, and the compute time of one
 * minibatch from a probe: {@link #probe} fits a copy of the network on the driver, in one process
 * and without Spark, which is what the minibatch costs. The rest of a round is overhead
 * (scheduling, the workers' per-round network set-up, serialization, aggregation, driver work),
 * roughly constant per round. With the overhead {@code O} and the time per minibatch {@code t}, a
 * round of {@code f} minibatches spends {@code O / (O + f t)} on overhead; the suggestion is the
 * averaging frequency that brings it to {@value #TARGET_OVERHEAD_SHARE} or less.
 */
public final class RoundAdvisor extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(RoundAdvisor.class);
  private static final String JOB_GROUP = "spark.jobGroup.id";

  /** Overhead share of a round above which the advisor warns. */
  public static final double WARN_OVERHEAD_SHARE = 0.5;

  /** Overhead share the suggested averaging frequency aims at. */
  public static final double TARGET_OVERHEAD_SHARE = 0.2;

  /** Rounds left out first (class loading, JIT warm-up, the first files read). */
  static final int ROUNDS_WARM_UP = 3;

  /** Rounds measured after the warm-up. */
  static final int ROUNDS_MEASURED = 3;

  private final int averagingFrequency;
  private final int batchSize;
  private final int workers;
  private volatile String groupId;
  private final Map<Integer, Long> jobStartMillis = new ConcurrentHashMap<>();
  private final double millisPerIteration;
  private int roundsSeen;
  private double wallMillis;
  private volatile Advice advice;

  /**
   * The advisor's figures and what it suggests.
   *
   * @param roundMillis mean wall milliseconds of a measured round
   * @param computeMillis milliseconds of fitting in a round ({@code averaging-frequency} times
   *     {@code millisPerIteration})
   * @param millisPerIteration milliseconds per minibatch, measured in one process
   * @param overheadShare share of the round not spent fitting
   * @param suggestedAveragingFrequency averaging frequency giving at most {@link
   *     #TARGET_OVERHEAD_SHARE} overhead
   * @param message the log line
   */
  public record Advice(
      double roundMillis,
      double computeMillis,
      double millisPerIteration,
      double overheadShare,
      int suggestedAveragingFrequency,
      String message) {

    /** Whether the overhead share is above {@link #WARN_OVERHEAD_SHARE}. */
    public boolean warns() {
      return overheadShare > WARN_OVERHEAD_SHARE;
    }
  }

  /**
   * An advisor for rounds of {@code averagingFrequency} minibatches of {@code batchSize}, each
   * taking {@code millisPerIteration} to fit (see {@link #probe}).
   */
  public RoundAdvisor(
      int averagingFrequency, int batchSize, int workers, double millisPerIteration) {
    this.millisPerIteration = millisPerIteration;
    this.averagingFrequency = averagingFrequency;
    this.batchSize = batchSize;
    this.workers = workers;
  }

  /** Measures the rounds of jobs in {@code groupId} (the first fit phase). */
  public void watch(String groupId) {
    this.groupId = advice == null ? groupId : null;
  }

  /** What the advisor concluded, once it has measured enough rounds. */
  public Optional<Advice> advice() {
    return Optional.ofNullable(advice);
  }

  /**
   * The advice for measured figures (exposed for tests).
   *
   * @param roundMillis mean wall time of a round
   * @param millisPerIteration time to fit one minibatch in one process
   */
  public static Advice advise(
      double roundMillis,
      double millisPerIteration,
      int averagingFrequency,
      int batchSize,
      int workers) {
    double perIteration = Math.max(millisPerIteration, 1e-3);
    double compute = Math.min(perIteration * averagingFrequency, roundMillis);
    double overhead = Math.max(roundMillis - compute, 0);
    double share = roundMillis > 0 ? overhead / roundMillis : 0;
    // O / (O + f t) <= s  <=>  f >= O (1 - s) / (s t)
    int suggested =
        (int)
            Math.min(
                10_000,
                Math.ceil(
                    overhead
                        * (1 - TARGET_OVERHEAD_SHARE)
                        / (TARGET_OVERHEAD_SHARE * perIteration)));
    suggested = Math.max(suggested, averagingFrequency);
    String figures =
        String.format(
            Locale.ROOT,
            "an averaging round of %d minibatches x %d examples on %d workers takes %.0f ms, of"
                + " which about %.0f ms is fitting (%.2f ms per minibatch in one process) and %.0f"
                + " ms (%.0f%%) Spark overhead",
            averagingFrequency,
            batchSize,
            workers,
            roundMillis,
            compute,
            perIteration,
            overhead,
            share * 100);
    String message;
    if (share > WARN_OVERHEAD_SHARE) {
      message =
          "Spark's overhead dominates training: "
              + figures
              + String.format(
                  Locale.ROOT,
                  ". Suggestion: set training.averaging-frequency = %d (overhead about %.0f%%), or"
                      + " raise training.batch-size-per-worker; if the data fits one machine,"
                      + " training.workers = 1 or a single process is faster.",
                  suggested,
                  TARGET_OVERHEAD_SHARE * 100);
    } else {
      message = "Round timing: " + figures + ".";
    }
    return new Advice(roundMillis, compute, perIteration, share, suggested, message);
  }

  /**
   * Milliseconds to fit one minibatch of {@code batch} on a copy of {@code net} in this process
   * (the median of a few fits after a warm-up); {@code net} is not changed.
   */
  public static double probe(
      org.deeplearning4j.nn.multilayer.MultiLayerNetwork net,
      org.nd4j.linalg.dataset.DataSet batch) {
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork copy = net.clone();
    for (int i = 0; i < 2; i++) {
      copy.fit(batch);
    }
    double[] millis = new double[5];
    for (int i = 0; i < millis.length; i++) {
      long t0 = System.nanoTime();
      copy.fit(batch);
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(millis);
    return millis[millis.length / 2];
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String g = groupId;
    if (g == null
        || jobStart.properties() == null
        || !g.equals(jobStart.properties().getProperty(JOB_GROUP))) {
      return;
    }
    // DL4J's rounds end with an aggregation of the workers' results (see FitProgress).
    boolean isRound =
        scala.collection.JavaConverters.seqAsJavaList(jobStart.stageInfos()).stream()
            .anyMatch(s -> s.name().contains("treeAggregate") || s.name().contains("reduce"));
    if (!isRound) {
      return;
    }
    jobStartMillis.put(jobStart.jobId(), jobStart.time());
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    Long start = jobStartMillis.remove(jobEnd.jobId());
    if (start == null || advice != null) {
      return;
    }
    Advice done = null;
    synchronized (this) {
      roundsSeen++;
      if (roundsSeen <= ROUNDS_WARM_UP) {
        return;
      }
      wallMillis += jobEnd.time() - start;
      if (roundsSeen == ROUNDS_WARM_UP + ROUNDS_MEASURED) {
        done =
            advise(
                wallMillis / ROUNDS_MEASURED,
                millisPerIteration,
                averagingFrequency,
                batchSize,
                workers);
      }
    }
    if (done != null) {
      advice = done;
      groupId = null;
      if (done.warns()) {
        LOG.warn(done.message());
      } else {
        LOG.info(done.message());
      }
    }
  }
}
