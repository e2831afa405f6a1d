package sparktrain.train.collective;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sparktrain.train.collective.Ranks.Outcome;

/**
 * Many short-lived groups back to back, as barrier stages use them (listen, connect, a few mean(),
 * close at once), with random delays before connect and before the first call, rank 0 sometimes
 * slow to connect, and lengths from tiny to larger than the socket buffers. Each rank closes its
 * group as soon as its last call returns, so a rank that finishes first closes while the others
 * still read their last chunk: the race that failed a stage about once in 5-10 on a real cluster.
 */
class RingStressTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int[] LENGTHS = {1, 1_000, 50_001, 400_000};

  @ParameterizedTest(name = "{0} ranks, {1} groups, secured {2}")
  @CsvSource({"2, 160, false", "3, 80, false", "3, 60, true"})
  void manyGroupsBackToBack(int n, int groups, boolean secured) throws Exception {
    SplittableRandom random = new SplittableRandom(1_000 + n);
    byte[] key = RingAuth.newRunKey();
    for (int g = 0; g < groups; g++) {
      List<RingAllreduce.Listener> ls = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        ls.add(RingAllreduce.listen("127.0.0.1"));
      }
      List<String> addresses = ls.stream().map(RingAllreduce.Listener::address).toList();
      long[] beforeConnect = new long[n];
      long[] beforeMean = new long[n];
      for (int r = 0; r < n; r++) {
        beforeConnect[r] = delay(random);
        beforeMean[r] = delay(random);
      }
      if (random.nextInt(4) == 0) {
        beforeConnect[0] += 20 + random.nextInt(60); // rank 0 slow to connect
      }
      int calls = 1 + random.nextInt(3);
      int length = LENGTHS[random.nextInt(LENGTHS.length)];
      int group = g;
      float[][][] inputs = new float[calls][n][];
      float[][][] results = new float[calls][n][];
      List<Outcome<Void>> outcomes =
          Ranks.each(
              n,
              r -> {
                Thread.sleep(beforeConnect[r]);
                RingAuth auth = secured ? RingAuth.forStage(key, null, "stress", group, 0) : null;
                try (RingAllreduce ring =
                    ls.get(r).connect(addresses, r, TIMEOUT, () -> false, auth)) {
                  Thread.sleep(beforeMean[r]);
                  for (int c = 0; c < calls; c++) {
                    inputs[c][r] = Ranks.data(group, r, c, length);
                    results[c][r] = inputs[c][r].clone();
                    try {
                      ring.mean(results[c][r]);
                    } catch (RuntimeException e) {
                      throw new AssertionError("call " + c + " of " + calls + ": " + e, e);
                    }
                  }
                } // closed at once, while slower ranks may still read their last chunk
              });
      for (int r = 0; r < n; r++) {
        Throwable e = outcomes.get(r).error();
        if (e != null) {
          throw new AssertionError(
              "group " + g + " (" + length + " floats), rank " + r + ": " + e, e);
        }
      }
      for (int c = 0; c < calls; c++) {
        Ranks.assertMean(inputs[c], results[c]);
      }
    }
  }

  /** Mostly none, often a few ms, now and then up to 300 ms. */
  private static long delay(SplittableRandom random) {
    int k = random.nextInt(40);
    return k < 24 ? 0 : k < 39 ? random.nextInt(15) : random.nextInt(300);
  }
}
