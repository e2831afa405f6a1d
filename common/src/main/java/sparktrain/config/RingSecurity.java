package sparktrain.config;

/**
 * How the barrier engine protects its averaging ring ({@code training.ring-security}): the TCP
 * connections between the tasks of a stage, the one network path of sparktrain that Spark's own
 * security does not cover. Ranks that share a JVM ({@code local[N]}) average through memory and
 * open no sockets, whatever the setting.
 *
 * <ul>
 *   <li>{@code auto}: every connection is mutually authenticated (a challenge-response over a key
 *       drawn for the run, mixed with Spark's application secret when {@code spark.authenticate} is
 *       on) before any float is read, and every frame is sealed with AES-GCM under a key of its own
 *       per connection and a frame counter, so a changed, replayed or reordered frame fails the
 *       stage. AES-GCM encrypts as it authenticates: it is the cheapest integrity the JDK offers on
 *       current CPUs (measured: README, "Securing the ring"), so frames are always encrypted.
 *   <li>{@code required}: as {@code auto}, and the run refuses to start on a cluster unless {@code
 *       spark.authenticate} is on (the run key then only travels over Spark's authenticated
 *       channels), and a task fails instead of warning when it cannot read Spark's secret.
 *   <li>{@code off}: the ring as it was before: plain floats, and a handshake that keeps out stray
 *       connections but not strangers. Only for trusted networks and for comparisons.
 * </ul>
 */
public enum RingSecurity implements ConfigEnum {
  AUTO,
  REQUIRED,
  OFF;

  /** Parses a config spelling such as {@code "auto"}. */
  public static RingSecurity fromConfig(String text) {
    return ConfigEnum.parse(RingSecurity.class, text);
  }
}
