package sparktrain.train.barrier;

import java.nio.charset.StandardCharsets;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's application secret, as the ring mixes it into its key when {@code spark.authenticate} is
 * on (YARN generates it per application, Kubernetes passes it to executor pods, standalone takes
 * {@code spark.authenticate.secret}). Read through {@code SparkEnv.get().securityManager()}: a
 * developer API whose {@code SecurityManager} is {@code private[spark]} in Scala (public in
 * bytecode), so the call is guarded.
 */
final class SparkSecret {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSecret.class);

  private SparkSecret() {}

  /**
   * The secret's bytes, or null when Spark does not authenticate; when it does but the secret
   * cannot be read, null with a warning, or with {@code required} an exception.
   */
  static byte[] read(boolean required) {
    SparkEnv env = SparkEnv.get();
    if (env == null || !env.conf().getBoolean("spark.authenticate", false)) {
      return null;
    }
    String problem;
    try {
      String secret = env.securityManager().getSecretKey();
      if (secret != null && !secret.isEmpty()) {
        return secret.getBytes(StandardCharsets.UTF_8);
      }
      problem = "Spark returned no secret";
    } catch (RuntimeException | LinkageError e) {
      problem = e.toString();
    }
    if (required) {
      throw new IllegalStateException(
          "training.ring-security = required, but Spark's application secret cannot be read ("
              + problem
              + ")");
    }
    LOG.warn(
        "spark.authenticate is on but Spark's application secret cannot be read ({}): the"
            + " averaging ring is keyed by the run's key alone",
        problem);
    return null;
  }
}
