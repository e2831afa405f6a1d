package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build's resolved dependencies (the test class path that Maven resolved for this module:
 * runtime, provided and test scopes, sparktrain-common's included) hold Scala artifacts of one
 * Scala line only, the one the build is for: on the Spark 4 build (Scala 2.13) a {@code _2.12}
 * artifact, such as DL4J's Spark module, fails here, since its classes cannot load on a Spark 4
 * cluster.
 */
class ScalaLineClasspathTest {
  /** A jar named for a Scala binary version: {@code name_2.13-1.0.jar} (a Maven artifact). */
  private static final Pattern SCALA_ARTIFACT =
      Pattern.compile("^(.+)_(2\\.1[0-3]|3)-[^/]*\\.jar$");

  private static List<String> classPath() {
    // Surefire runs the tests from a manifest-only jar and names the real class path here.
    String cp = System.getProperty("surefire.test.class.path");
    assertThat(cp).as("surefire.test.class.path (run this test with Maven)").isNotBlank();
    return Arrays.asList(cp.split(File.pathSeparator));
  }

  @Test
  void everyScalaArtifactIsOfTheBuildsScalaLine() {
    String line = System.getProperty("sparktrain.scala.binary.version");
    assertThat(line).as("sparktrain.scala.binary.version, set by jobs/pom.xml").isNotBlank();
    List<String> jars = classPath();
    List<String> scalaArtifacts =
        jars.stream()
            .map(p -> new File(p).getName())
            .filter(n -> SCALA_ARTIFACT.matcher(n).matches())
            .toList();
    assertThat(scalaArtifacts).as("Scala artifacts on the class path").isNotEmpty();
    List<String> otherLine =
        scalaArtifacts.stream()
            .filter(
                n -> {
                  Matcher m = SCALA_ARTIFACT.matcher(n);
                  return m.matches() && !m.group(2).equals(line);
                })
            .toList();
    assertThat(otherLine)
        .as("artifacts of another Scala line than the build's (%s)", line)
        .isEmpty();
    // and the Scala library that runs is that line's
    assertThat(scala.util.Properties.versionNumberString()).startsWith(line + ".");
  }
}
