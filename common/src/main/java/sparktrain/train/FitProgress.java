package sparktrain.train;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress within a long epoch, seen from the driver: a Spark listener counts the averaging rounds
 * (one Spark job each) that finish in the current fit phase and prints at most one line per
 * interval with rounds done/total, examples/s and ETA.
 */
public final class FitProgress extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(FitProgress.class);
  private static final String JOB_GROUP = "spark.jobGroup.id";

  private final long intervalNanos;
  private volatile String groupId;
  private volatile String label;
  private volatile int totalRounds;
  private volatile long examplesPerRound;
  private volatile long startNanos;
  private volatile long lastPrintNanos;
  private final AtomicInteger roundsDone = new AtomicInteger();
  private final java.util.Set<Integer> roundJobs =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Creates a listener printing at most once per {@code interval}. */
  public FitProgress(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Starts counting the rounds of a fit phase. */
  public void begin(String groupId, String label, int totalRounds, long examplesPerRound) {
    this.label = label;
    this.totalRounds = totalRounds;
    this.examplesPerRound = examplesPerRound;
    this.roundsDone.set(0);
    this.roundJobs.clear();
    this.startNanos = System.nanoTime();
    this.lastPrintNanos = startNanos;
    this.groupId = groupId;
  }

  /** Stops counting. */
  public void end() {
    this.groupId = null;
  }

  /** Averaging rounds finished in the current (or last) phase. */
  public int roundsDone() {
    return roundsDone.get();
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String g = groupId;
    if (g == null || jobStart.properties() == null) {
      return;
    }
    if (!g.equals(jobStart.properties().getProperty(JOB_GROUP))) {
      return;
    }
    // A round of parameter averaging ends with DL4J aggregating the workers' results.
    boolean isRound =
        scala.collection.JavaConverters.seqAsJavaList(jobStart.stageInfos()).stream()
            .anyMatch(s -> s.name().contains("treeAggregate") || s.name().contains("reduce"));
    if (isRound) {
      roundJobs.add(jobStart.jobId());
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    if (groupId == null || !roundJobs.remove(jobEnd.jobId())) {
      return;
    }
    reached(roundsDone.incrementAndGet());
  }

  /**
   * Records that {@code done} rounds of the current phase have finished, and prints a line when the
   * interval has passed since the last one (not for the phase's last round: the epoch's own line
   * follows). Engines that do not run a Spark job per round call this themselves.
   */
  public void reached(int done) {
    roundsDone.accumulateAndGet(done, Math::max);
    long now = System.nanoTime();
    if (groupId == null
        || now - lastPrintNanos < intervalNanos
        || done >= totalRounds
        || done <= 0) {
      return;
    }
    lastPrintNanos = now;
    double elapsed = (now - startNanos) / 1e9;
    double perSecond = done * examplesPerRound / Math.max(elapsed, 1e-9);
    double eta = elapsed / done * Math.max(totalRounds - done, 0);
    LOG.info(
        String.format(
            Locale.ROOT,
            "%s  round %d/%d  %.0f examples/s  ETA %.0f s",
            label,
            done,
            totalRounds,
            perSecond,
            eta));
  }
}
