package sparktrain.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sparktrain.train.collective.Allreduce;
import sparktrain.train.collective.RingAllreduce;

/** The ranks of {@link AllreduceBenchmark} as threads: group set-up and timed rounds. */
final class RankThreads {
  private static final long BARRIER_SECONDS = 120;

  private RankThreads() {}

  /** The body of one rank. */
  interface Body<T> {
    T run(int rank) throws Exception;
  }

  /** Runs {@code body} for ranks 0..n-1, one thread each; their results by rank. */
  static <T> List<T> each(int n, Body<T> body) {
    Object[] results = new Object[n];
    Throwable[] errors = new Throwable[n];
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      int rank = r;
      Thread t =
          new Thread(
              () -> {
                try {
                  results[rank] = body.run(rank);
                } catch (Throwable e) {
                  errors[rank] = e;
                }
              },
              "allreduce-rank-" + rank);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the ranks run", e);
    }
    for (int r = 0; r < n; r++) {
      if (errors[r] != null) {
        closeAll(results);
        throw new IllegalStateException("rank " + r + " failed: " + errors[r], errors[r]);
      }
    }
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) Arrays.asList(results);
    return list;
  }

  private static void closeAll(Object[] results) {
    for (Object o : results) {
      if (o instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort
        }
      }
    }
  }

  /**
   * The timed rounds: milliseconds of each, from the first rank in to the last rank out; this JVM's
   * CPU time (all threads, user and system, the kernel's socket copies included) per round; and the
   * time all ranks together spent sealing and opening frames per round.
   */
  record Timing(double[] ms, double cpuMsPerRound, double cryptoMsPerRound) {}

  /**
   * {@code warmUp} then {@code timed} rounds of one {@code mean()} per rank on arrays of {@code
   * floats}.
   */
  static Timing rounds(List<Allreduce> groups, int floats, int warmUp, int timed) {
    int n = groups.size();
    int total = warmUp + timed;
    long[][] in = new long[total][n];
    long[][] out = new long[total][n];
    long[] cpuAndCrypto = new long[2];
    int[] trips = {0};
    // the action runs once all ranks wait at the barrier: before the first timed round starts
    CyclicBarrier barrier =
        new CyclicBarrier(
            n,
            () -> {
              if (trips[0]++ == warmUp) {
                cpuAndCrypto[0] = cpuNanos();
                cpuAndCrypto[1] = cryptoNanos(groups);
              }
            });
    each(
        n,
        r -> {
          float[] data = AllreduceBenchmark.data(r, floats);
          Allreduce g = groups.get(r);
          try {
            for (int i = 0; i < total; i++) {
              barrier.await(BARRIER_SECONDS, TimeUnit.SECONDS);
              in[i][r] = System.nanoTime();
              g.mean(data);
              out[i][r] = System.nanoTime();
            }
          } catch (BrokenBarrierException | TimeoutException | RuntimeException e) {
            barrier.reset(); // the other ranks stop waiting
            throw e;
          }
          return null;
        });
    double cpuMs = (cpuNanos() - cpuAndCrypto[0]) / 1e6 / timed;
    double cryptoMs = (cryptoNanos(groups) - cpuAndCrypto[1]) / 1e6 / timed;
    double[] ms = new double[timed];
    for (int i = 0; i < timed; i++) {
      long first = Arrays.stream(in[warmUp + i]).min().orElseThrow();
      long last = Arrays.stream(out[warmUp + i]).max().orElseThrow();
      ms[i] = (last - first) / 1e6;
    }
    return new Timing(ms, cpuMs, cryptoMs);
  }

  /** CPU time of this JVM so far (all threads, user and system), or 0 where the JVM cannot say. */
  private static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private static long cryptoNanos(List<Allreduce> groups) {
    long sum = 0;
    for (Allreduce g : groups) {
      if (g instanceof RingAllreduce ring) {
        sum += ring.cryptoNanos();
      }
    }
    return sum;
  }
}
