package sparktrain.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.io.Json;
import sparktrain.train.collective.Allreduce;
import sparktrain.train.collective.LocalAllreduce;
import sparktrain.train.collective.RingAllreduce;
import sparktrain.train.collective.RingAuth;

/**
 * Microbenchmark of the barrier engine's collectives: {@link RingAllreduce} over 127.0.0.1 with
 * ring security off and on (authenticated connections, AES-GCM frames), {@link LocalAllreduce}, and
 * the raw TCP baseline ({@link RawTcpRing}: the same ranks moving the same bytes over plain
 * sockets), ranks as threads of this JVM, for several rank counts and array sizes. All
 * implementations of one rank count run one after the other, so the comparison sees the same
 * machine load.
 *
 * <p>One group per (implementation, ranks), reused for every size, as the engine reuses it for
 * every round of an epoch. A round: the ranks wait at a barrier, then each calls {@link
 * Allreduce#mean} once; the round's time runs from the first rank entering {@code mean()} to the
 * last one leaving it. Warm-up rounds first, then the timed ones (fewer for arrays of {@value
 * #LARGE_MB} MB and more).
 */
public final class AllreduceBenchmark {
  /** The results file. */
  public static final String JSON = "allreduce.json";

  /** Rank counts run by default. */
  public static final List<Integer> DEFAULT_RANKS = List.of(2, 4, 8);

  /** Array sizes run by default, in MB (10^6 bytes): 1.2 MB is an MNIST MLP with Adam's state. */
  public static final List<Double> DEFAULT_SIZES_MB = List.of(0.4, 1.2, 4.0, 40.0);

  /** Timed rounds per (implementation, ranks, size) below {@value #LARGE_MB} MB by default. */
  public static final int DEFAULT_ROUNDS = 30;

  /**
   * From this size on, a third of the rounds (at least 3) and 2 warm-up rounds; below it, as many
   * warm-up rounds as timed ones, from 5 to 20.
   */
  static final double LARGE_MB = 10;

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(AllreduceBenchmark.class);

  private AllreduceBenchmark() {}

  /** The implementations measured. */
  public enum Impl {
    /** Plain TCP between the same ranks, moving the ring's bytes: the baseline. */
    RAW_TCP,
    /** {@link RingAllreduce} over 127.0.0.1, ring security off. */
    RING,
    /** {@link RingAllreduce} over 127.0.0.1, authenticated and AES-GCM sealed. */
    RING_SECURED,
    /** {@link LocalAllreduce} through memory. */
    LOCAL;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One (implementation, ranks, size): milliseconds per {@code mean()} and effective bandwidth.
   *
   * @param setupMs time to build the group (ring: listen and connect; local: join)
   * @param algbwGbPerS array bytes / median seconds / 10^9
   * @param busbwGbPerS algbw x 2(ranks-1)/ranks: the bytes each rank sends (and receives) in a ring
   *     allreduce per second, comparable across rank counts
   * @param cpuMs this JVM's CPU time per timed round (all threads, user and system: the kernel's
   *     loopback copies included), the mean of the timed rounds
   * @param cryptoMs time all ranks together spent sealing and opening frames per timed round (0
   *     unsecured)
   */
  public record Result(
      String impl,
      int ranks,
      double sizeMb,
      int floats,
      int warmUpRounds,
      int rounds,
      double setupMs,
      double medianMs,
      double p95Ms,
      double minMs,
      double maxMs,
      double algbwGbPerS,
      double busbwGbPerS,
      double cpuMs,
      double cryptoMs) {}

  /** Runs both implementations for every rank count and size; {@code rounds} timed rounds each. */
  public static List<Result> run(List<Integer> ranks, List<Double> sizesMb, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
    }
    for (int n : ranks) {
      if (n < 1) {
        throw new IllegalArgumentException("ranks must be >= 1, got " + n);
      }
    }
    for (double mb : sizesMb) {
      if (!(mb >= 0) || mb * 1e6 / 4 > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("size must be in [0, 8589] MB, got " + mb);
      }
    }
    List<Result> results = new ArrayList<>();
    for (int n : ranks) {
      for (Impl impl : Impl.values()) {
        results.addAll(runGroup(impl, n, sizesMb, rounds));
      }
    }
    return results;
  }

  private static List<Result> runGroup(Impl impl, int n, List<Double> sizesMb, int rounds) {
    String id = "allreduce-benchmark-" + UUID.randomUUID();
    long start = System.nanoTime();
    List<Allreduce> groups = connect(impl, n, id);
    double setupMs = (System.nanoTime() - start) / 1e6;
    try {
      List<Result> results = new ArrayList<>();
      for (double mb : sizesMb) {
        boolean large = mb >= LARGE_MB;
        int timed = large ? Math.max(3, rounds / 3) : rounds;
        int warmUp =
            large ? 2 : Math.max(5, Math.min(20, rounds)); // JIT: the first rounds are slow
        int floats = (int) Math.round(mb * 1e6 / 4);
        System.gc(); // the previous size's arrays go before this one is timed
        RankThreads.Timing t = RankThreads.rounds(groups, floats, warmUp, timed);
        Result r = result(impl, n, mb, floats, warmUp, setupMs, t);
        LOG.info(
            "allreduce {} ranks={} size={} MB: median {} ms, p95 {} ms",
            r.impl(),
            n,
            mb,
            r.medianMs(),
            r.p95Ms());
        results.add(r);
      }
      return results;
    } finally {
      groups.forEach(Allreduce::close);
    }
  }

  private static List<Allreduce> connect(Impl impl, int n, String id) {
    if (impl == Impl.LOCAL) {
      return RankThreads.each(n, r -> LocalAllreduce.join(id, r, n, TIMEOUT));
    }
    if (impl == Impl.RAW_TCP) {
      try {
        return RawTcpRing.connect(n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    RingAuth auth =
        impl == Impl.RING_SECURED ? RingAuth.forStage(RingAuth.newRunKey(), null, id, 0, 0) : null;
    List<RingAllreduce.Listener> listeners = new ArrayList<>();
    try {
      for (int r = 0; r < n; r++) {
        listeners.add(RingAllreduce.listen("127.0.0.1"));
      }
    } catch (IOException e) {
      listeners.forEach(RingAllreduce.Listener::close);
      throw new UncheckedIOException(e);
    }
    List<String> addresses = listeners.stream().map(RingAllreduce.Listener::address).toList();
    return RankThreads.each(
        n,
        r -> {
          RingAllreduce g = listeners.get(r).connect(addresses, r, TIMEOUT, () -> false, auth);
          g.timeCrypto();
          return g;
        });
  }

  private static Result result(
      Impl impl, int n, double mb, int floats, int warmUp, double setupMs, RankThreads.Timing t) {
    double[] ms = t.ms();
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double median = percentile(sorted, 0.5);
    double bytes = 4.0 * floats;
    double algbw = median > 0 ? bytes / (median / 1e3) / 1e9 : 0;
    return new Result(
        impl.label(),
        n,
        mb,
        floats,
        warmUp,
        ms.length,
        round4(setupMs),
        round4(median),
        round4(percentile(sorted, 0.95)),
        round4(sorted[0]),
        round4(sorted[sorted.length - 1]),
        round4(algbw),
        round4(algbw * 2 * (n - 1) / n),
        round4(t.cpuMsPerRound()),
        round4(t.cryptoMsPerRound()));
  }

  /** Nearest-rank percentile of sorted values; the median of an even count is the mean of two. */
  static double percentile(double[] sorted, double p) {
    if (p == 0.5) {
      int m = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  /** Random values in [-1, 1) for one rank. */
  static float[] data(int rank, int floats) {
    SplittableRandom random = new SplittableRandom(rank);
    float[] d = new float[floats];
    for (int i = 0; i < floats; i++) {
      d[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return d;
  }

  /**
   * What one core seals, opens and authenticates per second in the ring's frames (AES-GCM seal and
   * open, HMAC-SHA256, GMAC, a plain copy), GB/s by name: the ceiling of the secured ring per core.
   */
  public static Map<String, Double> cryptoRates() {
    return CryptoRates.measure();
  }

  /** {@link #cryptoRates} as one line. */
  public static String cryptoLine(Map<String, Double> rates) {
    return CryptoRates.line(rates);
  }

  /** Writes {@value #JSON} (machine, method, results) into {@code dir}; returns its path. */
  public static Path write(Path dir, List<Result> results) {
    return write(dir, results, Map.of());
  }

  /**
   * Writes {@value #JSON} (machine, method, results and, unless empty, {@code cryptoRates}) into
   * {@code dir}; returns its path.
   */
  public static Path write(Path dir, List<Result> results, Map<String, Double> cryptoRates) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine());
    json.put(
        "method",
        "ranks are threads of one JVM; ring and raw TCP over 127.0.0.1; a round runs from the"
            + " first rank entering mean() to the last leaving it; algbw = bytes / median; busbw ="
            + " algbw x 2(n-1)/n; raw-tcp moves the ring's bytes over plain sockets, both"
            + " directions at once; ring-secured: authenticated connections, AES-GCM frames;"
            + " cpu_ms: the JVM's CPU time per timed round (user + system); crypto_ms: time all"
            + " ranks spent sealing and opening per timed round");
    json.put("results", results);
    if (!cryptoRates.isEmpty()) {
      json.put("crypto_per_core_gb_per_s", cryptoRates);
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(JSON);
      Files.write(file, Json.pretty(json));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(JSON), e);
    }
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put(
        "load_average_at_finish",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    m.put("finished_at", Instant.now().toString());
    return m;
  }

  /** The results as a plain-text table (also valid Markdown). */
  public static String table(List<Result> results) {
    List<String> header =
        List.of(
            "impl",
            "ranks",
            "size MB",
            "rounds",
            "median ms",
            "p95 ms",
            "min ms",
            "algbw GB/s",
            "busbw GB/s",
            "cpu ms",
            "crypto ms");
    List<List<String>> rows = new ArrayList<>();
    for (Result r : results) {
      rows.add(
          List.of(
              r.impl(),
              Integer.toString(r.ranks()),
              String.format(Locale.ROOT, "%.1f", r.sizeMb()),
              Integer.toString(r.rounds()),
              String.format(Locale.ROOT, "%.3f", r.medianMs()),
              String.format(Locale.ROOT, "%.3f", r.p95Ms()),
              String.format(Locale.ROOT, "%.3f", r.minMs()),
              String.format(Locale.ROOT, "%.2f", r.algbwGbPerS()),
              String.format(Locale.ROOT, "%.2f", r.busbwGbPerS()),
              String.format(Locale.ROOT, "%.1f", r.cpuMs()),
              String.format(Locale.ROOT, "%.1f", r.cryptoMs())));
    }
    return render(header, rows)
        + "time per mean(): first rank in to last rank out; algbw = size / median;"
        + " busbw = algbw x 2(n-1)/n; ranks are threads of one JVM, ring over 127.0.0.1;"
        + " cpu ms: the JVM's CPU time per round (all threads, user + system); crypto ms: sealing"
        + " and opening, all ranks, per round\n";
  }

  /**
   * Raw TCP, the ring unsecured and the ring secured side by side for every (ranks, size) that has
   * all three: medians, the secured ring's time against the unsecured one, each ring's rate as a
   * share of the raw baseline's, the CPU time per round of both rings, the crypto time per round
   * (all ranks) and the ratio the crypto alone implies where the CPUs are the bottleneck (as over
   * loopback: 1 + crypto / the unsecured ring's CPU time), and the group set-up (listen, connect,
   * handshakes) of each.
   */
  public static String comparison(List<Result> results) {
    List<String> header =
        List.of(
            "ranks",
            "size MB",
            "raw ms",
            "ring ms",
            "secured ms",
            "secured/ring",
            "ring % raw",
            "secured % raw",
            "cpu ms ring/secured",
            "crypto ms",
            "crypto-only ratio",
            "setup ms ring/secured");
    List<List<String>> rows = new ArrayList<>();
    for (Result raw : results) {
      if (!raw.impl().equals(Impl.RAW_TCP.label())) {
        continue;
      }
      Result ring = find(results, Impl.RING, raw);
      Result secured = find(results, Impl.RING_SECURED, raw);
      if (ring == null || secured == null) {
        continue;
      }
      rows.add(
          List.of(
              Integer.toString(raw.ranks()),
              String.format(Locale.ROOT, "%.1f", raw.sizeMb()),
              String.format(Locale.ROOT, "%.3f", raw.medianMs()),
              String.format(Locale.ROOT, "%.3f", ring.medianMs()),
              String.format(Locale.ROOT, "%.3f", secured.medianMs()),
              String.format(Locale.ROOT, "%.2f", secured.medianMs() / ring.medianMs()),
              String.format(Locale.ROOT, "%.0f%%", 100 * raw.medianMs() / ring.medianMs()),
              String.format(Locale.ROOT, "%.0f%%", 100 * raw.medianMs() / secured.medianMs()),
              String.format(Locale.ROOT, "%.1f/%.1f", ring.cpuMs(), secured.cpuMs()),
              String.format(Locale.ROOT, "%.1f", secured.cryptoMs()),
              ring.cpuMs() > 0
                  ? String.format(Locale.ROOT, "%.2f", 1 + secured.cryptoMs() / ring.cpuMs())
                  : "-",
              String.format(Locale.ROOT, "%.1f/%.1f", ring.setupMs(), secured.setupMs())));
    }
    if (rows.isEmpty()) {
      return "";
    }
    return render(header, rows)
        + "raw: plain TCP moving the ring's bytes (both directions at once, no steps, no sums);"
        + " ring: security off; secured: authenticated connections, AES-GCM frames (integrity and"
        + " encryption in one pass: integrity alone, by HMAC-SHA256 or GMAC, is slower on this JDK,"
        + " see the crypto rates); % raw: raw ms / ring ms; cpu ms: the JVM's CPU time per round;"
        + " crypto ms: sealing and opening per round, all ranks; crypto-only ratio: 1 + crypto ms /"
        + " the unsecured ring's cpu ms, the least secured/ring can be where the CPUs are the"
        + " bottleneck (loopback); setup: listen + connect (+ handshakes) of the whole group\n";
  }

  private static Result find(List<Result> results, Impl impl, Result like) {
    for (Result r : results) {
      if (r.impl().equals(impl.label())
          && r.ranks() == like.ranks()
          && r.sizeMb() == like.sizeMb()) {
        return r;
      }
    }
    return null;
  }

  private static String render(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    line(sb, Arrays.stream(width).mapToObj("-"::repeat).toList(), width);
    rows.forEach(row -> line(sb, row, width));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    sb.append('|');
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      sb.append(' ').append(c == 0 ? cell + pad : pad + cell).append(" |");
    }
    sb.append('\n');
  }
}
