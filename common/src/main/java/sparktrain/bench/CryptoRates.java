package sparktrain.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import sparktrain.train.collective.RingAllreduce;

/**
 * What one core of this machine seals, opens and authenticates per CPU second, in frames of the
 * ring's size, with the JDK's providers and the ring's buffers (direct): the ceiling of the secured
 * ring's rate per core. AES-GCM as the ring uses it (a fresh 96-bit counter nonce per frame), the
 * two integrity-only alternatives (HMAC-SHA256, SHA-NI intrinsics where the CPU has them; GMAC:
 * AES-GCM with the frame as associated data) and a plain copy for scale.
 */
final class CryptoRates {
  private static final int BYTES = 32 << 20;
  private static final int WARM_UP = 3;
  private static final int PASSES = 5;

  private CryptoRates() {}

  /**
   * GB/s (10^9 bytes) per CPU second of this thread, by name: the best of a few passes over {@value
   * #BYTES} bytes each.
   */
  static Map<String, Double> measure() {
    int frame = RingAllreduce.SEALED_FRAME_BYTES;
    int frames = BYTES / frame;
    ByteBuffer plain = ByteBuffer.allocateDirect(frames * frame);
    ByteBuffer wire = ByteBuffer.allocateDirect(frames * (frame + 16));
    ByteBuffer opened = ByteBuffer.allocateDirect(frames * frame);
    byte[] tag = new byte[32];
    SecretKeySpec aes = new SecretKeySpec(new byte[16], "AES");
    Map<String, Double> rates = new LinkedHashMap<>();
    try {
      Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
      Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      rates.put(
          "aes-gcm seal",
          rate(
              frames * frame,
              () -> {
                wire.clear();
                for (int i = 0; i < frames; i++) {
                  seal.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce(i)));
                  seal.doFinal(slice(plain, i * frame, frame), wire);
                }
              }));
      rates.put(
          "aes-gcm open",
          rate(
              frames * frame,
              () -> {
                opened.clear();
                for (int i = 0; i < frames; i++) {
                  open.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, nonce(i)));
                  open.doFinal(slice(wire, i * (frame + 16), frame + 16), opened);
                }
              }));
      rates.put(
          "hmac-sha256",
          rate(
              frames * frame,
              () -> {
                for (int i = 0; i < frames; i++) {
                  hmac.update(slice(plain, i * frame, frame));
                  hmac.doFinal(tag, 0);
                }
              }));
      rates.put(
          "gmac",
          rate(
              frames * frame,
              () -> {
                for (int i = 0; i < frames; i++) {
                  seal.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce(i)));
                  seal.updateAAD(slice(plain, i * frame, frame));
                  seal.doFinal(tag, 0); // the 16-byte tag
                }
              }));
      rates.put(
          "copy",
          rate(
              frames * frame,
              () -> {
                opened.clear();
                opened.put(plain.duplicate().clear());
              }));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks a primitive the ring's benchmark uses", e);
    }
    return rates;
  }

  /** One line: "name G.GG GB/s" for each. */
  static String line(Map<String, Double> rates) {
    StringBuilder sb =
        new StringBuilder(
            "one core, frames of " + (RingAllreduce.SEALED_FRAME_BYTES >> 10) + " KiB, GB/s:");
    rates.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.2f;", k, v)));
    sb.setLength(sb.length() - 1);
    return sb.append('\n').toString();
  }

  private interface Pass {
    void run() throws GeneralSecurityException;
  }

  private static double rate(long bytes, Pass pass) throws GeneralSecurityException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < WARM_UP + PASSES; i++) {
      long start = cpuNanos();
      pass.run();
      long t = cpuNanos() - start;
      if (i >= WARM_UP) {
        best = Math.min(best, t);
      }
    }
    return Math.round(bytes / (double) best * 100) / 100.0;
  }

  /** This thread's CPU time (immune to time the thread waits for a core), else the wall clock. */
  private static long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported()
        ? threads.getCurrentThreadCpuTime()
        : System.nanoTime();
  }

  private static ByteBuffer slice(ByteBuffer b, int from, int length) {
    return b.duplicate().limit(from + length).position(from);
  }

  private static byte[] nonce(long n) {
    byte[] iv = new byte[12];
    for (int i = 11; i >= 4; i--) {
      iv[i] = (byte) n;
      n >>>= 8;
    }
    return iv;
  }
}
