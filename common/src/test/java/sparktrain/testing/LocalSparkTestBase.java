package sparktrain.testing;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of a test class whose tests share one {@link LocalSpark} {@code local[2]} session: started
 * before the class's first test, stopped after its last.
 */
public abstract class LocalSparkTestBase {
  /** The session of the running test class. */
  protected static SparkSession spark;

  /** Its Java context. */
  protected static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start(2);
    sc = LocalSpark.jsc(spark);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }
}
