package sparktrain.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of everything that shapes a model, for provenance in manifests and summaries. */
public final class Versions {
  /** DL4J release this build is made for (its jars carry no version metadata). */
  public static final String DL4J = "1.0.0-M2";

  private Versions() {}

  /** sparktrain's own version, from the build. */
  public static String sparktrain() {
    try (InputStream in = Versions.class.getResourceAsStream("/sparktrain/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The versions a checkpoint or model manifest records of its writer ({@code versions}): Java,
   * DL4J and sparktrain. (Before 0.1.0 left its snapshots, sparktrain was "dev" there when not run
   * from a jar.)
   */
  public static Map<String, String> writer() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("java", System.getProperty("java.version"));
    v.put("dl4j", DL4J);
    v.put("sparktrain", sparktrain());
    return v;
  }

  /** Versions of sparktrain, Spark, Scala, DL4J and Java, in a stable order. */
  public static Map<String, String> all() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("sparktrain", sparktrain());
    v.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    v.put("scala", scala.util.Properties.versionNumberString());
    v.put("dl4j", DL4J);
    v.put("java", System.getProperty("java.version"));
    return v;
  }
}
