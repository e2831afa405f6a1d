package sparktrain.train.collective;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The secret that authenticates the connections of one ring: a key of one stage attempt of one run,
 * derived with HKDF-SHA256 from the run's key (drawn on the driver, shipped in the stage's task
 * closure) and, when Spark authenticates, Spark's application secret. Rings of another run, another
 * stage or another attempt of the same stage hold another key, so their connections, and handshakes
 * recorded from them, fail the handshake.
 */
public final class RingAuth {
  /** Bytes of a run key. */
  public static final int RUN_KEY_BYTES = 32;

  private static final byte[] SALT = "sparktrain ring v1".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private RingAuth(byte[] key) {
    this.key = key;
  }

  /** A fresh random run key ({@value #RUN_KEY_BYTES} bytes). */
  public static byte[] newRunKey() {
    return nonce(RUN_KEY_BYTES);
  }

  /**
   * The key of attempt {@code attempt} of stage {@code stageId} of run {@code runId}.
   *
   * @param runKey the run's key ({@value #RUN_KEY_BYTES} bytes)
   * @param sparkSecret Spark's application secret, or null when Spark does not authenticate
   */
  public static RingAuth forStage(
      byte[] runKey, byte[] sparkSecret, String runId, int stageId, int attempt) {
    Objects.requireNonNull(runKey, "runKey");
    if (runKey.length != RUN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a run key has " + RUN_KEY_BYTES + " bytes, got " + runKey.length);
    }
    byte[] secret = sparkSecret == null ? new byte[0] : sparkSecret;
    byte[] ikm = Arrays.copyOf(runKey, runKey.length + secret.length);
    System.arraycopy(secret, 0, ikm, runKey.length, secret.length);
    byte[] prk = Hkdf.extract(SALT, ikm);
    String info = "stage key|" + runId + "|" + stageId + "|" + attempt;
    return new RingAuth(Hkdf.expand(prk, info.getBytes(StandardCharsets.UTF_8), Hkdf.HASH_BYTES));
  }

  /** {@code length} random bytes. */
  static byte[] nonce(int length) {
    byte[] b = new byte[length];
    RANDOM.nextBytes(b);
    return b;
  }

  /** The stage key (not a copy: do not change it). */
  byte[] key() {
    return key;
  }

  @Override
  public String toString() {
    return "RingAuth[key hidden]";
  }
}
