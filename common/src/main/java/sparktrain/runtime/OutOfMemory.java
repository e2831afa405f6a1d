package sparktrain.runtime;

import java.util.Locale;
import java.util.Optional;

/**
 * Says which memory ran out, and which setting raises it, for a failure caused by an {@link
 * OutOfMemoryError}: the Java heap, or ND4J's off-heap memory (JavaCPP's {@code maxbytes} and
 * {@code maxphysicalbytes} limits), in the driver or in an executor. Spark reports an executor's
 * error as text inside its own exception, so the cause chain's messages are read too.
 */
public final class OutOfMemory {
  private OutOfMemory() {}

  /**
   * The one-line explanation of {@code failure}, or empty when no memory ran out.
   *
   * @param master the Spark master: {@code local...} is the embedded runner (one JVM)
   */
  public static Optional<String> explain(Throwable failure, String master) {
    String text = null;
    boolean fromExecutor = false;
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if (c instanceof OutOfMemoryError) {
        text = c + (text == null ? "" : " " + text);
      } else if (m.contains("OutOfMemoryError")) {
        text = m;
        fromExecutor |= m.contains("Lost task") || m.contains("executor");
      }
    }
    if (text == null) {
      return Optional.empty();
    }
    boolean embedded = master == null || master.startsWith("local");
    String lower = text.toLowerCase(Locale.ROOT);
    boolean offHeap =
        lower.contains("pointer")
            || lower.contains("maxbytes")
            || lower.contains("physicalbytes")
            || lower.contains("direct buffer memory");
    String where = embedded ? "" : fromExecutor ? " of an executor" : " of the driver";
    String raise;
    if (offHeap) {
      raise =
          embedded
              ? "raise SPARKTRAIN_OFFHEAP (now "
                  + System.getProperty("org.bytedeco.javacpp.maxbytes", "unset")
                  + ") and SPARKTRAIN_PHYSICAL for the embedded runner"
              : "raise -Dorg.bytedeco.javacpp.maxbytes and maxphysicalbytes in"
                  + " spark.executor.extraJavaOptions (spark.driver.extraJavaOptions for the"
                  + " driver) and spark.executor.memoryOverhead to match";
      return Optional.of(
          "out of memory: ND4J's off-heap memory"
              + where
              + " ran out ("
              + brief(text)
              + "); "
              + raise);
    }
    long maxMb = Runtime.getRuntime().maxMemory() >> 20;
    raise =
        embedded
            ? "raise it with JAVA_OPTS=-Xmx<size> for the embedded runner (now -Xmx"
                + maxMb
                + "m; submit-scripts/sparktrain's default is -Xmx2g)"
            : fromExecutor
                ? "raise spark.executor.memory (and spark.executor.memoryOverhead on YARN or"
                    + " Kubernetes)"
                : "raise spark.driver.memory";
    return Optional.of(
        "out of memory: the Java heap" + where + " ran out (" + brief(text) + "); " + raise);
  }

  private static String brief(String text) {
    int at = text.indexOf("java.lang.OutOfMemoryError");
    String s = at >= 0 ? text.substring(at) : text;
    int nl = s.indexOf('\n');
    s = nl >= 0 ? s.substring(0, nl) : s;
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }
}
