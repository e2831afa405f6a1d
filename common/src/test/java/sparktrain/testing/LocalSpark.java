package sparktrain.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import sparktrain.spark.SparkSessions;

/** A real {@code local[N]} Spark session for tests: one per test class, UI off. */
public final class LocalSpark {
  private LocalSpark() {}

  /** Starts (or returns the running) local session with sparktrain's Spark defaults. */
  public static SparkSession start(int cores) {
    return start(conf(cores));
  }

  /** Starts (or returns the running) session of {@code conf}, e.g. {@link #conf} plus a setting. */
  public static SparkSession start(SparkConf conf) {
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * The settings of a {@code local[cores]} test session: sparktrain's Spark defaults (Kryo with
   * ND4J's registrator), UI off, loopback driver, two shuffle partitions, scratch under {@code
   * target/tmp}. A test that needs one more setting (a plugin, another master) adds it here.
   */
  public static SparkConf conf(int cores) {
    return SparkSessions.applyDl4jDefaults(new SparkConf())
        .setMaster("local[" + cores + "]")
        .setAppName("sparktrain-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.local.dir", Paths.get("target", "tmp").toAbsolutePath().toString());
  }

  /** The Java context of a session. */
  public static JavaSparkContext jsc(SparkSession spark) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  /** Absolute path of a test resource directory or file (e.g. {@code "mnist"}). */
  public static Path resource(String name) {
    return Paths.get("src", "test", "resources", name).toAbsolutePath();
  }
}
