package sparktrain.train.collective;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The authenticated handshake of a ring connection, from rank {@code from} (which connects) to rank
 * {@code to} (which accepts), under the stage key of a {@link RingAuth}:
 *
 * <pre>
 *   from -> to  HELLO      magic, from, size, nonce_c (32 random bytes)
 *   to -> from  CHALLENGE  nonce_s (32 random bytes), HMAC(key, "server" | from | to | size | nonce_c | nonce_s)
 *   from -> to  PROOF      HMAC(key, "client" | from | to | size | nonce_c | nonce_s)
 *   to -> from  ACK        one byte
 * </pre>
 *
 * Each end checks the other's tag (constant-time) against the ranks it expects, so each proves it
 * holds the stage key and is the expected rank. Both nonces are fresh, so a recorded handshake does
 * not verify again; the role labels differ, so a tag reflected back to its sender does not verify
 * either. Nothing the peer sends sizes an allocation: every message has a fixed length. The frames
 * that follow are sealed by {@link FrameCipher} under a key derived from the stage key and both
 * nonces, one per connection.
 */
final class RingHandshake {
  static final int MAGIC = 0x53545232; // "STR2"
  static final int NONCE_BYTES = 32;
  static final int HELLO_BYTES = 12 + NONCE_BYTES;
  static final int CHALLENGE_BYTES = NONCE_BYTES + Hkdf.HASH_BYTES;
  static final int PROOF_BYTES = Hkdf.HASH_BYTES;

  private static final byte[] SERVER = label("server proof");
  private static final byte[] CLIENT = label("client proof");
  private static final byte[] FRAMES = label("frame key");

  private final RingAuth auth;
  private final int size;

  RingHandshake(RingAuth auth, int size) {
    this.auth = auth;
    this.size = size;
  }

  /** The HELLO of rank {@code from} with its nonce. */
  ByteBuffer hello(int from, byte[] nonceC) {
    return ByteBuffer.allocate(HELLO_BYTES)
        .putInt(MAGIC)
        .putInt(from)
        .putInt(size)
        .put(nonceC)
        .flip();
  }

  /** The CHALLENGE of rank {@code to} to rank {@code from}. */
  ByteBuffer challenge(int from, int to, byte[] nonceC, byte[] nonceS) {
    return ByteBuffer.allocate(CHALLENGE_BYTES)
        .put(nonceS)
        .put(tag(SERVER, from, to, nonceC, nonceS))
        .flip();
  }

  /** The PROOF of rank {@code from}. */
  ByteBuffer proof(int from, int to, byte[] nonceC, byte[] nonceS) {
    return ByteBuffer.wrap(tag(CLIENT, from, to, nonceC, nonceS));
  }

  /** Whether {@code challenge} is rank {@code to}'s answer to rank {@code from}'s nonce. */
  boolean serverTagValid(int from, int to, byte[] nonceC, byte[] nonceS, byte[] tag) {
    return MessageDigest.isEqual(tag(SERVER, from, to, nonceC, nonceS), tag);
  }

  /** Whether {@code tag} is rank {@code from}'s proof for these nonces. */
  boolean clientTagValid(int from, int to, byte[] nonceC, byte[] nonceS, byte[] tag) {
    return MessageDigest.isEqual(tag(CLIENT, from, to, nonceC, nonceS), tag);
  }

  /** The AES key of the frames from rank {@code from} to rank {@code to} on this connection. */
  byte[] frameKey(int from, int to, byte[] nonceC, byte[] nonceS) {
    byte[] salt = new byte[2 * NONCE_BYTES];
    System.arraycopy(nonceC, 0, salt, 0, NONCE_BYTES);
    System.arraycopy(nonceS, 0, salt, NONCE_BYTES, NONCE_BYTES);
    byte[] info =
        ByteBuffer.allocate(FRAMES.length + 12)
            .put(FRAMES)
            .putInt(from)
            .putInt(to)
            .putInt(size)
            .array();
    return Hkdf.expand(Hkdf.extract(salt, auth.key()), info, FrameCipher.KEY_BYTES);
  }

  private byte[] tag(byte[] role, int from, int to, byte[] nonceC, byte[] nonceS) {
    Mac mac = Hkdf.mac(auth.key());
    mac.update(role);
    mac.update(ByteBuffer.allocate(12).putInt(from).putInt(to).putInt(size).array());
    mac.update(nonceC);
    mac.update(nonceS);
    return mac.doFinal();
  }

  private static byte[] label(String what) {
    return ("sparktrain ring v1 " + what + "\0").getBytes(StandardCharsets.UTF_8);
  }
}
