package sparktrain.train.collective;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM over the frames of one direction of one ring connection: each frame is encrypted and gets
 * a 16-byte tag; its nonce is the frame's number in this direction, counted by both ends and never
 * sent. A frame that was changed, replayed, dropped or reordered fails its tag check at the
 * receiving end. The key is the connection's own (derived from both ends' handshake nonces), so
 * counters never repeat under one key.
 */
final class FrameCipher {
  static final int TAG_BYTES = 16;
  static final int KEY_BYTES = 16; // AES-128, as Spark's spark.network.crypto.keyLength default

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean THREAD_CPU = threadCpu();

  private final Cipher cipher;
  private final SecretKeySpec key;
  private final int mode;
  private final byte[] nonce = new byte[12];
  private long frames;
  private byte[] frame = new byte[0];
  private boolean timed;
  private long nanos;

  private FrameCipher(byte[] key, int mode) {
    this.key = new SecretKeySpec(key, "AES");
    this.mode = mode;
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
    }
  }

  private static boolean threadCpu() {
    try {
      return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static final AtomicBoolean WARMED = new AtomicBoolean();

  /** Calls of {@link #warmUpOnce}: small frames, with a full one every {@value #WARM_UP_FULL}. */
  static final int WARM_UP_CALLS = 6000;

  private static final int WARM_UP_FULL = 100;

  /**
   * The first call in this JVM seals and opens {@value #WARM_UP_CALLS} throwaway frames (a zero
   * key, never used for data) the way the ring does; later calls return at once. HotSpot runs
   * AES-GCM with its AES-CTR and GHASH intrinsics only once the provider's callers are compiled by
   * C2, after about 5,000 calls: a ring of 256 KiB frames would seal some 200 MB at a few tens of
   * MB/s first (seconds of every first stage). Small frames reach those calls in a fraction of a
   * second, and a full frame now and then keeps the compiled code valid for full frames (without
   * them, the first full frame throws it away and the count starts over).
   */
  static void warmUpOnce() {
    if (!WARMED.compareAndSet(false, true)) {
      return;
    }
    byte[] zero = new byte[KEY_BYTES];
    FrameCipher sealer = sealing(zero);
    FrameCipher opener = opening(zero);
    ByteBuffer plain = ByteBuffer.allocate(RingLinks.FRAME_BYTES);
    ByteBuffer wire = ByteBuffer.allocateDirect(RingLinks.FRAME_BYTES + TAG_BYTES);
    try {
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        int length = i % WARM_UP_FULL == 0 ? RingLinks.FRAME_BYTES : 1024;
        plain.clear().limit(length);
        wire.clear();
        sealer.seal(plain, wire);
        wire.flip();
        plain.clear();
        opener.open(wire, plain);
      }
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("AES-GCM failed to open its own frame", e);
    }
  }

  /** The sending end under {@code key}. */
  static FrameCipher sealing(byte[] key) {
    return new FrameCipher(key, Cipher.ENCRYPT_MODE);
  }

  /** The receiving end under {@code key}. */
  static FrameCipher opening(byte[] key) {
    return new FrameCipher(key, Cipher.DECRYPT_MODE);
  }

  /** Frames sealed or opened so far. */
  long frames() {
    return frames;
  }

  /**
   * From now on, counts the CPU time of sealing and opening (off by default: reading a thread's CPU
   * clock costs about a microsecond, two reads a frame).
   */
  void time() {
    timed = true;
  }

  /**
   * CPU nanoseconds the calling threads spent sealing or opening since {@link #time} (wall-clock
   * nanoseconds where the JVM cannot measure a thread's CPU time); 0 untimed.
   */
  long nanos() {
    return nanos;
  }

  /**
   * Encrypts {@code plain} (position to limit) into {@code wire} at its position: the ciphertext
   * then the tag, {@code plain.remaining() + TAG_BYTES} bytes.
   */
  void seal(ByteBuffer plain, ByteBuffer wire) {
    long start = timed ? cpuNanos() : 0;
    try {
      init();
      if (plain.hasArray() && !wire.hasArray()) {
        // the JDK's AES-GCM runs its intrinsics on arrays; on a direct buffer it copies through
        // arrays in pieces (JDK 17): seal array to array, then one copy to the socket's buffer
        int length = plain.remaining();
        byte[] out = frame(length + TAG_BYTES);
        int n =
            cipher.doFinal(plain.array(), plain.arrayOffset() + plain.position(), length, out, 0);
        plain.position(plain.limit());
        wire.put(out, 0, n);
      } else {
        cipher.doFinal(plain, wire);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to seal frame " + frames + ": " + e, e);
    }
    frames++;
    if (timed) {
      nanos += cpuNanos() - start;
    }
  }

  /**
   * Decrypts the frame {@code wire} (position to limit: ciphertext and tag) into {@code plain} at
   * its position.
   *
   * @throws AEADBadTagException when the frame is not the next one the other end sealed, intact
   */
  void open(ByteBuffer wire, ByteBuffer plain) throws AEADBadTagException {
    long start = timed ? cpuNanos() : 0;
    try {
      init();
      if (plain.hasArray() && !wire.hasArray()) { // as in seal: arrays for the intrinsics
        int length = wire.remaining();
        if (length < TAG_BYTES) {
          throw new AEADBadTagException("a frame of " + length + " bytes has no tag");
        }
        byte[] in = frame(length);
        wire.get(in, 0, length);
        int n =
            cipher.doFinal(in, 0, length, plain.array(), plain.arrayOffset() + plain.position());
        plain.position(plain.position() + n);
      } else {
        cipher.doFinal(wire, plain);
      }
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to open frame " + frames + ": " + e, e);
    }
    frames++;
    if (timed) {
      nanos += cpuNanos() - start;
    }
  }

  /** The frame buffer, at least {@code bytes} long. */
  private byte[] frame(int bytes) {
    if (frame.length < bytes) {
      frame = new byte[Math.max(bytes, RingLinks.FRAME_BYTES + TAG_BYTES)];
    }
    return frame;
  }

  private static long cpuNanos() {
    return THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private void init() throws GeneralSecurityException {
    long n = frames;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) n;
      n >>>= 8;
    }
    cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
  }
}
