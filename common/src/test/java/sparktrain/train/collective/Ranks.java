package sparktrain.train.collective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Ranks as threads for the collective tests, and the plain-Java mean they must match. */
final class Ranks {
  /** Longest a test waits for a rank's thread before calling it hung. */
  static final long HUNG_MS = 30_000;

  private Ranks() {}

  /** The body of one rank. */
  interface Body<T> {
    T run(int rank) throws Exception;
  }

  /** The body of one rank, returning nothing. */
  interface Action {
    void run(int rank) throws Exception;
  }

  /** Runs {@code action} for ranks 0..n-1 in their own threads; the outcomes, by rank. */
  static List<Outcome<Void>> each(int n, Action action) throws InterruptedException {
    return run(
        n,
        r -> {
          action.run(r);
          return null;
        });
  }

  /** Like {@link #each}, failing when any rank failed. */
  static void all(int n, Action action) throws InterruptedException {
    for (Outcome<Void> o : each(n, action)) {
      o.get();
    }
  }

  /** What a rank's body returned or threw, and how long it ran. */
  record Outcome<T>(T value, Throwable error, long nanos) {
    long millis() {
      return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    T get() {
      if (error != null) {
        throw new AssertionError("rank failed: " + error, error);
      }
      return value;
    }
  }

  /** Runs {@code body} for ranks 0..n-1, each in its own thread, and waits for all of them. */
  static <T> List<Outcome<T>> run(int n, Body<T> body) throws InterruptedException {
    List<Outcome<T>> outcomes = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Outcome<T>[] slot = new Outcome[n];
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      int rank = r;
      Thread t =
          new Thread(
              () -> {
                long start = System.nanoTime();
                try {
                  T v = body.run(rank);
                  slot[rank] = new Outcome<>(v, null, System.nanoTime() - start);
                } catch (Throwable e) {
                  slot[rank] = new Outcome<>(null, e, System.nanoTime() - start);
                }
              },
              "rank-" + rank);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (int r = 0; r < n; r++) {
      threads.get(r).join(HUNG_MS);
      if (threads.get(r).isAlive()) {
        threads.forEach(Thread::interrupt);
        throw new AssertionError("rank " + r + " hung for " + HUNG_MS + " ms");
      }
      outcomes.add(slot[r]);
    }
    return outcomes;
  }

  /** The values of {@code rank} in call {@code call}: uniform in [-2, 2). */
  static float[] data(long seed, int rank, int call, int length) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + call * 1_009L + rank);
    float[] d = new float[length];
    for (int i = 0; i < length; i++) {
      d[i] = (float) (random.nextDouble() * 4 - 2);
    }
    return d;
  }

  /**
   * Asserts that every rank's {@code results} equal the double-precision mean of {@code inputs}
   * within 1e-6 of the mean magnitude {@code sum|x| / n} (the scale of float summation's error; a
   * plain relative error is meaningless where the mean cancels to about zero), and are
   * bit-identical across ranks.
   */
  static void assertMean(float[][] inputs, float[][] results) {
    int n = inputs.length;
    int length = inputs[0].length;
    for (int r = 1; r < n; r++) {
      if (!Arrays.equals(results[0], results[r])) {
        throw new AssertionError("rank " + r + "'s result differs from rank 0's in some bits");
      }
    }
    for (int i = 0; i < length; i++) {
      double sum = 0;
      double abs = 0;
      for (float[] in : inputs) {
        sum += in[i];
        abs += Math.abs(in[i]);
      }
      double expected = sum / n;
      double tolerance = 1e-6 * Math.max(abs / n, Float.MIN_NORMAL);
      if (Math.abs(results[0][i] - expected) > tolerance) {
        throw new AssertionError(
            "element "
                + i
                + " of "
                + length
                + ": "
                + results[0][i]
                + ", expected "
                + expected
                + " (tolerance "
                + tolerance
                + ")");
      }
    }
  }

  /**
   * Runs one mean on {@code groups} for each of {@link #lengths} (call c with seed n), and asserts
   * each with {@link #assertMean}.
   */
  static void assertMeansOfEveryLength(List<? extends Allreduce> groups)
      throws InterruptedException {
    int n = groups.size();
    int call = 0;
    for (int length : lengths(n)) {
      int c = call++;
      float[][] inputs = new float[n][];
      float[][] results = new float[n][];
      for (int r = 0; r < n; r++) {
        inputs[r] = data(n, r, c, length);
        results[r] = inputs[r].clone();
      }
      all(n, r -> groups.get(r).mean(results[r]));
      assertMean(inputs, results);
    }
  }

  /**
   * Runs {@code calls} means one after another on the same {@code groups} (one thread a rank), call
   * c on {@code baseLength + c} floats, and asserts each call's results with {@link #assertMean}.
   */
  static void assertConsecutiveMeans(
      List<? extends Allreduce> groups, int calls, long seed, int baseLength)
      throws InterruptedException {
    int n = groups.size();
    float[][][] inputs = new float[calls][n][];
    float[][][] results = new float[calls][n][];
    for (int c = 0; c < calls; c++) {
      for (int r = 0; r < n; r++) {
        inputs[c][r] = data(seed, r, c, baseLength + c);
        results[c][r] = inputs[c][r].clone();
      }
    }
    all(
        n,
        r -> {
          for (int c = 0; c < calls; c++) {
            groups.get(r).mean(results[c][r]);
          }
        });
    for (int c = 0; c < calls; c++) {
      assertMean(inputs[c], results[c]);
    }
  }

  /** Lengths to test with {@code n} ranks: empty, tiny, below and around n, uneven, large. */
  static int[] lengths(int n) {
    return new int[] {0, 1, 7, Math.max(n - 1, 0), n + 1, 3 * n + 2, 1_001, 305_311, 1_000_003};
  }

  /** {@code n} listeners on 127.0.0.1, each also added to {@code toClose}. */
  static List<RingAllreduce.Listener> listeners(int n, List<AutoCloseable> toClose)
      throws java.io.IOException {
    List<RingAllreduce.Listener> ls = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      RingAllreduce.Listener l = RingAllreduce.listen("127.0.0.1");
      toClose.add(l);
      ls.add(l);
    }
    return ls;
  }

  /** The listeners' addresses, by rank. */
  static List<String> addresses(List<RingAllreduce.Listener> ls) {
    return ls.stream().map(RingAllreduce.Listener::address).toList();
  }
}
