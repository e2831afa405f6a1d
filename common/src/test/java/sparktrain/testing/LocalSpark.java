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
    SparkConf conf =
        SparkSessions.applyDl4jDefaults(new SparkConf())
            .setMaster("local[" + cores + "]")
            .setAppName("sparktrain-test")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.sql.shuffle.partitions", "2")
            .set("spark.local.dir", Paths.get("target", "tmp").toAbsolutePath().toString());
    return SparkSession.builder().config(conf).getOrCreate();
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
