package sparktrain.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkArguments}: the master URLs and settings Spark would reject inside {@code
 * SparkContext}'s constructor are user errors before any session exists, each naming the argument
 * and the accepted forms.
 */
class SparkArgumentsTest {
  private static SparkConf conf(String master, String... keyValues) {
    SparkConf c = new SparkConf(false).setMaster(master);
    for (int i = 0; i < keyValues.length; i += 2) {
      c.set(keyValues[i], keyValues[i + 1]);
    }
    return c;
  }

  private static String error(SparkConf conf, boolean fromCommandLine) {
    return assertThrows(
            SparkArgumentException.class, () -> SparkArguments.check(conf, fromCommandLine))
        .getMessage();
  }

  @Test
  void mastersSparkAcceptsPass() {
    for (String m :
        List.of(
            "local",
            "local[2]",
            "local[*]",
            "local[2,3]",
            "local[*, 4]",
            "local-cluster[2,1,1024]",
            "spark://127.0.0.1:7077",
            "spark://a:7077,b:7078")) {
      SparkArguments.check(conf(m), true);
    }
  }

  @Test
  void mastersSparkCannotParseNameTheOptionAndTheForms() {
    assertThat(error(conf("foo://x"), true))
        .startsWith("--master foo://x: not a master URL Spark can parse; expected local, local[N]")
        .contains("spark://HOST:PORT");
    assertThat(error(conf("local[abc]"), true))
        .startsWith("--master local[abc]: not a local master Spark can parse");
    assertThat(error(conf("local[0]"), true))
        .isEqualTo(
            "--master local[0]: the number of threads (N in local[N]) must be >= 1, or * for one"
                + " per core");
    assertThat(error(conf("spark://host"), true))
        .startsWith("--master spark://host: 'host' is not HOST:PORT; expected spark://HOST:PORT");
    assertThat(error(conf("spark://a:1,"), true)).contains("an empty HOST:PORT");
    assertThat(error(conf("local-cluster[0,1,1024]"), true)).contains("must each be >= 1");
    assertThat(error(conf("yarn"), true))
        .startsWith("--master yarn: no cluster manager for it on this classpath")
        .contains("submit-scripts/spark-submit.sh --master yarn");
  }

  @Test
  void aMasterFromTheSparkConfIsNamedByItsKey() {
    assertThat(error(conf("foo"), false)).startsWith("spark.master foo: not a master URL");
  }

  @Test
  void deployModesOtherThanClientOrClusterAndClusterWithALocalMaster() {
    SparkArguments.check(conf("spark://h:7077", "spark.submit.deployMode", "cluster"), false);
    assertThat(error(conf("local[2]", "spark.submit.deployMode", "foo"), true))
        .startsWith("spark.submit.deployMode = foo: unknown deploy mode; expected client")
        .contains("or cluster");
    assertThat(error(conf("local[2]", "spark.submit.deployMode", "cluster"), true))
        .startsWith("spark.submit.deployMode = cluster does not go with --master local[2]");
  }

  @Test
  void settingValuesSparkCannotReadAreAllReportedWithTheMaster() {
    String message =
        error(
            conf(
                "local[x]",
                "spark.executor.memory",
                "lots",
                "spark.task.maxFailures",
                "many",
                "spark.eventLog.enabled",
                "perhaps",
                "spark.sql.shuffle.partitions",
                "two",
                "spark.executor.extraJavaOptions",
                "-Dx=${y}"),
            true);

    assertThat(message.lines()).hasSize(5);
    assertThat(message)
        .contains("--master local[x]: not a local master")
        // Spark's own reason after the colon (3.5: "Size must be ...", 4: INVALID_CONF_VALUE)
        .containsPattern(
            "spark.executor.memory = lots: Spark cannot read this value: (Size must be|.*'lots')")
        .contains("spark.task.maxFailures = many: Spark cannot read this value:")
        .contains("spark.eventLog.enabled = perhaps: Spark cannot read this value:")
        .contains("spark.sql.shuffle.partitions = two: Spark cannot read this value:");
  }

  @Test
  void aStandaloneMasterMustAnswer() throws Exception {
    int closedPort;
    try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
      closedPort = server.getLocalPort();
      SparkArguments.checkReachable(conf("spark://127.0.0.1:" + closedPort), true, 2000);
      // one live master of several (HA standbys may be down) is enough
      SparkArguments.checkReachable(
          conf("spark://127.0.0.1:1,127.0.0.1:" + closedPort), true, 2000);
    }
    long t0 = System.nanoTime();
    SparkArgumentException e =
        assertThrows(
            SparkArgumentException.class,
            () ->
                SparkArguments.checkReachable(conf("spark://127.0.0.1:" + closedPort), true, 2000));
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
    assertThat(e.getMessage())
        .startsWith("--master spark://127.0.0.1:" + closedPort + ": no Spark master answers at")
        .contains("submit-scripts/local-cluster start");
    SparkArguments.checkReachable(conf("local[2]"), true, 10); // not a standalone master
  }

  @Test
  void noSessionIsCreatedForABadMaster() {
    SparkArgumentException e =
        assertThrows(
            SparkArgumentException.class,
            () -> SparkSessions.getOrCreate("local[abc]", "sparktrain-test"));
    assertThat(e.problems()).singleElement().asString().startsWith("--master local[abc]");
    // no live session (a stopped one of an earlier test class may still be remembered)
    for (scala.Option<SparkSession> s :
        List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      assertThat(s.isEmpty() || s.get().sparkContext().isStopped()).isTrue();
    }
  }
}
