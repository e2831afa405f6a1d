package sparktrain.jobs;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Counts Spark applications and jobs started in this JVM, when registered with {@code
 * -Dspark.extraListeners=sparktrain.jobs.SparkStarts} (or the system property set by a test before
 * the CLI creates its session): a check before work must leave both at zero.
 */
public final class SparkStarts extends SparkListener {
  static final AtomicInteger APPLICATIONS = new AtomicInteger();
  static final AtomicInteger JOBS = new AtomicInteger();

  /** Spark creates the listener with this constructor. */
  public SparkStarts() {}

  /** Registers the listener for sessions created from now on (Spark reads system properties). */
  static void register() {
    System.setProperty("spark.extraListeners", SparkStarts.class.getName());
  }

  /** Stops registering it. */
  static void unregister() {
    System.clearProperty("spark.extraListeners");
  }

  /** Forgets the counts. */
  static void reset() {
    APPLICATIONS.set(0);
    JOBS.set(0);
  }

  @Override
  public void onApplicationStart(SparkListenerApplicationStart start) {
    APPLICATIONS.incrementAndGet();
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    JOBS.incrementAndGet();
  }
}
