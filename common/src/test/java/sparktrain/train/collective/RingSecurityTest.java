package sparktrain.train.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import sparktrain.train.collective.Ranks.Outcome;

/**
 * The secured ring ({@link RingAuth}) over real sockets on 127.0.0.1, ranks as threads: strangers
 * that connect to a rank's listener while the ring forms (no key, a wrong key, garbage, a handshake
 * recorded from an earlier stage, the listener's own challenge reflected back, a connection that
 * sends nothing) neither join nor stop it, and the ring's "training" ends bit-identical to a clean
 * run; frames changed or replayed on the way fail the call on every rank; rings of two runs cannot
 * connect to each other.
 */
class RingSecurityTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int ROUNDS = 6;
  private static final int LENGTH = 150_001; // 2 ranks: 300 KB chunks, two frames each

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final String runId = UUID.randomUUID().toString();
  private final byte[] runKey = RingAuth.newRunKey();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RingAuth stage(int stageId) {
    return RingAuth.forStage(runKey, null, runId, stageId, 0);
  }

  private List<RingAllreduce.Listener> listeners(int n) throws IOException {
    return Ranks.listeners(n, toClose);
  }

  private static List<String> addresses(List<RingAllreduce.Listener> ls) {
    return Ranks.addresses(ls);
  }

  /** Connects ranks 0..n-1, rank r with {@code addressesOf.get(r)}. */
  private List<RingAllreduce> connect(
      List<RingAllreduce.Listener> ls, List<List<String>> addressesOf, RingAuth auth)
      throws Exception {
    List<RingAllreduce> groups = new ArrayList<>();
    for (Outcome<RingAllreduce> o :
        Ranks.run(
            ls.size(), r -> ls.get(r).connect(addressesOf.get(r), r, TIMEOUT, () -> false, auth))) {
      groups.add(o.get());
      toClose.add(o.get());
    }
    return groups;
  }

  private List<RingAllreduce> ring(int n, RingAuth auth) throws Exception {
    List<RingAllreduce.Listener> ls = listeners(n);
    List<String> a = addresses(ls);
    return connect(ls, java.util.Collections.nCopies(n, a), auth);
  }

  /**
   * {@link #ROUNDS} rounds of "training": each rank moves its parameters by a step of its own
   * (seeded), then the ring averages them; the parameters of every rank at the end.
   */
  private static float[][] train(List<RingAllreduce> groups) throws InterruptedException {
    List<Outcome<float[]>> outcomes = tryTrain(groups);
    float[][] params = new float[groups.size()][];
    for (int r = 0; r < params.length; r++) {
      params[r] = outcomes.get(r).get();
    }
    return params;
  }

  /** {@link #train}, each rank's outcome. */
  private static List<Outcome<float[]>> tryTrain(List<RingAllreduce> groups)
      throws InterruptedException {
    return Ranks.run(
        groups.size(),
        r -> {
          float[] p = Ranks.data(7, 0, 0, LENGTH);
          for (int round = 0; round < ROUNDS; round++) {
            float[] step = Ranks.data(7, r, round + 1, LENGTH);
            for (int i = 0; i < LENGTH; i++) {
              p[i] -= 0.01f * step[i];
            }
            groups.get(r).mean(p);
          }
          return p;
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 8})
  void securedMeanIsTheUnsecuredMeanBitForBit(int n) throws Exception {
    List<RingAllreduce> secured = ring(n, stage(1));
    Ranks.assertMeansOfEveryLength(secured);
    assertThat(secured.get(0).links().sealed()).isTrue();
    float[][] a = train(secured);
    float[][] b = train(ring(n, null));
    for (int r = 0; r < n; r++) {
      assertThat(a[r]).as("rank %d", r).isEqualTo(b[r]);
    }
  }

  /**
   * Messages of many windows ({@link RingLinks#WINDOW_FRAMES} frames each): reads that end inside a
   * frame at a window's end move the frame's first bytes to the window's start; the result is the
   * unsecured ring's, bit for bit, on every rank.
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void messagesOfManyWindowsAreTheUnsecuredMeanBitForBit(int n) throws Exception {
    int length = 3_000_017; // 2 ranks: 6 MB chunks, 23 frames
    List<RingAllreduce> secured = ring(n, stage(9));
    List<RingAllreduce> plain = ring(n, null);
    for (List<RingAllreduce> groups : List.of(secured, plain)) {
      // the same data twice through the same groups: the second call reuses every buffer
      Ranks.all(n, r -> groups.get(r).mean(Ranks.data(5, r, 0, length)));
    }
    List<Outcome<float[]>> a = means(secured, length);
    List<Outcome<float[]>> b = means(plain, length);
    for (int r = 0; r < n; r++) {
      assertThat(a.get(r).get()).as("rank %d", r).isEqualTo(b.get(r).get());
      assertThat(a.get(r).get()).as("rank %d", r).isEqualTo(a.get(0).get());
    }
  }

  private static List<Outcome<float[]>> means(List<RingAllreduce> groups, int length)
      throws InterruptedException {
    return Ranks.run(
        groups.size(),
        r -> {
          float[] d = Ranks.data(6, r, 1, length);
          groups.get(r).mean(d);
          return d;
        });
  }

  /** What a stranger does to rank 1's listener (waiting for rank 0) while the ring forms. */
  enum Stranger {
    /** The ring's plain hello of ring security off, with the right address hash (the issue's). */
    NO_KEY,
    /** The secured handshake as rank 0, with the key of another run. */
    WRONG_KEY,
    /** Random bytes. */
    GARBAGE,
    /** Rank 0's bytes of a handshake recorded in an earlier stage of the same run. */
    REPLAYED_HANDSHAKE,
    /** A hello, then the listener's own challenge tag sent back as the proof. */
    REFLECTED_CHALLENGE,
    /** Connects and sends nothing. */
    IDLE
  }

  @ParameterizedTest
  @EnumSource(Stranger.class)
  void aStrangerNeitherJoinsNorStopsTheRing(Stranger stranger) throws Exception {
    float[][] clean = train(ring(2, stage(2)));

    byte[] recorded = stranger == Stranger.REPLAYED_HANDSHAKE ? recordHandshake() : null;
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> a = addresses(ls);
    // the stranger is first in rank 1's accept queue, and stays connected all along
    Socket s = new Socket("127.0.0.1", port(a.get(1)));
    toClose.add(s);
    s.setSoTimeout(5_000);
    CompletableFuture<String> attack =
        CompletableFuture.supplyAsync(() -> attack(stranger, s, a, recorded));
    Thread.sleep(100);
    float[][] params = train(connect(ls, List.of(a, a), stage(2)));

    for (int r = 0; r < 2; r++) {
      assertThat(params[r]).as("rank %d", r).isEqualTo(clean[r]);
    }
    // closed without an acknowledgement (the idle one once the ring had formed without it)
    assertThat(attack.get(10, TimeUnit.SECONDS)).as("what the stranger got").isEqualTo("closed");
  }

  @Test
  void aCrowdOfIdleStrangersDoesNotKeepTheRealPeerOut() throws Exception {
    float[][] clean = train(ring(2, stage(6)));
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> a = addresses(ls);
    // more than the listener keeps, fewer than its accept backlog (64)
    for (int i = 0; i < RingConnector.MAX_CANDIDATES + 16; i++) {
      Socket s = new Socket("127.0.0.1", port(a.get(1)));
      toClose.add(s);
    }
    float[][] params = train(connect(ls, List.of(a, a), stage(6)));
    assertThat(params[1]).isEqualTo(clean[1]);
  }

  /** Runs the stranger's attack; "closed" when the listener closed on it without an answer. */
  private String attack(Stranger stranger, Socket s, List<String> a, byte[] recorded) {
    try {
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      switch (stranger) {
        case NO_KEY ->
            out.write(
                ByteBuffer.allocate(RingConnector.HELLO_BYTES)
                    .putInt(RingConnector.MAGIC)
                    .putInt(0)
                    .putInt(2)
                    .putLong(RingConnector.groupHash(a))
                    .array());
        case WRONG_KEY -> {
          RingHandshake other =
              new RingHandshake(RingAuth.forStage(RingAuth.newRunKey(), null, runId, 2, 0), 2);
          byte[] nonceC = RingAuth.nonce(RingHandshake.NONCE_BYTES);
          out.write(other.hello(0, nonceC).array());
          byte[] challenge = new byte[RingHandshake.CHALLENGE_BYTES];
          in.readFully(challenge);
          byte[] nonceS = Arrays.copyOf(challenge, RingHandshake.NONCE_BYTES);
          out.write(other.proof(0, 1, nonceC, nonceS).array());
        }
        case GARBAGE -> {
          byte[] junk = new byte[4096];
          new SplittableRandom(3).nextBytes(junk);
          out.write(junk);
        }
        case REPLAYED_HANDSHAKE -> {
          out.write(recorded, 0, RingHandshake.HELLO_BYTES);
          in.readFully(new byte[RingHandshake.CHALLENGE_BYTES]);
          out.write(recorded, RingHandshake.HELLO_BYTES, RingHandshake.PROOF_BYTES);
        }
        case REFLECTED_CHALLENGE -> {
          byte[] hello =
              new RingHandshake(stage(2), 2)
                  .hello(0, RingAuth.nonce(RingHandshake.NONCE_BYTES))
                  .array();
          out.write(hello);
          byte[] challenge = new byte[RingHandshake.CHALLENGE_BYTES];
          in.readFully(challenge);
          out.write(challenge, RingHandshake.NONCE_BYTES, RingHandshake.PROOF_BYTES);
        }
        case IDLE -> {}
      }
      return readsToEnd(s.getInputStream()) ? "closed" : "acknowledged";
    } catch (IOException e) {
      return "closed"; // reset by the listener
    }
  }

  /** Whether the stream ends (the listener closed it) without one byte of acknowledgement. */
  private static boolean readsToEnd(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** Rank 0's first bytes (hello and proof) of a real handshake of stage 1, through a proxy. */
  private byte[] recordHandshake() throws Exception {
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> a = addresses(ls);
    TcpProxy proxy = new TcpProxy(a.get(1), (offset, chunk, p) -> chunk);
    toClose.add(proxy);
    List<String> viaProxy = List.of(a.get(0), proxy.address());
    List<RingAllreduce> groups = connect(ls, List.of(viaProxy, viaProxy), stage(1));
    Ranks.all(2, r -> groups.get(r).mean(new float[10]));
    groups.forEach(RingAllreduce::close);
    return proxy.recorded(0, RingHandshake.HELLO_BYTES + RingHandshake.PROOF_BYTES);
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** Bytes rank 0 sends to rank 1 before its frames: hello and proof. */
  private static final int HANDSHAKE = RingHandshake.HELLO_BYTES + RingHandshake.PROOF_BYTES;

  /**
   * Bytes rank 0 sends to rank 1 in one round of {@link #train} (2 ranks): the call header, chunk 0
   * (75,000 floats) in the reduce-scatter, chunk 1 (75,001 floats) in the all-gather; sealed or
   * not.
   */
  private static long round(boolean sealed) {
    int header = RingAllreduce.HEADER_BYTES;
    return sealed
        ? RingLinks.wireBytes(header + 300_000, header) + RingLinks.wireBytes(300_004, 0)
        : header + 300_000 + 300_004;
  }

  /** Rank 0 to rank 1 through a proxy that applies {@code tamper}; the outcome of train(). */
  private List<Outcome<float[]>> trainThroughProxy(RingAuth auth, TcpProxy.Tamper tamper)
      throws Exception {
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> a = addresses(ls);
    TcpProxy proxy = new TcpProxy(a.get(1), tamper);
    toClose.add(proxy);
    // both ranks get the same list (rank 1 reaches rank 0 directly): the unsecured ring's
    // handshake checks a hash of it
    List<String> viaProxy = List.of(a.get(0), proxy.address());
    List<RingAllreduce> groups = connect(ls, List.of(viaProxy, viaProxy), auth);
    return tryTrain(groups);
  }

  /** Flips one bit of the byte at {@code at} of the client's stream. */
  private static TcpProxy.Tamper flipAt(long at) {
    return (offset, chunk, p) -> {
      if (at >= offset && at < offset + chunk.length) {
        chunk[(int) (at - offset)] ^= 0x10;
      }
      return chunk;
    };
  }

  @Test
  void aFlippedBitFailsTheCallOnEveryRankWhereUnsecuredItChangesTheModel() throws Exception {
    long inRound2 = 32 + 1_000; // in the first data frame of round 2, past its header
    long at = HANDSHAKE + round(true) + inRound2;
    float[][] clean = train(ring(2, stage(3)));

    List<Outcome<float[]>> secured = trainThroughProxy(stage(3), flipAt(at));
    for (int r = 0; r < 2; r++) {
      assertThat(secured.get(r).error()).as("rank %d", r).isInstanceOf(CollectiveException.class);
    }
    assertThat(secured.get(1).error())
        .hasMessageStartingWith("rank 1: frame ")
        .hasMessageContaining("failed its integrity check");

    // the same flip without ring security: the run "succeeds" with other parameters
    List<Outcome<float[]>> plain =
        trainThroughProxy(null, flipAt(RingConnector.HELLO_BYTES + round(false) + 16 + 1_000));
    float[][] unsecuredClean = train(ring(2, null));
    assertThat(plain.get(1).get()).isNotEqualTo(unsecuredClean[1]);
    assertThat(clean[1]).isEqualTo(unsecuredClean[1]);
  }

  @Test
  void aReplayedFrameFailsTheCallOnEveryRank() throws Exception {
    // after round 2's header frame, the proxy sends round 1's first data frame again
    int frame = RingLinks.FRAME_BYTES + 16;
    long round2 = HANDSHAKE + round(true) + 32;
    List<Outcome<float[]>> outcomes =
        trainThroughProxy(
            stage(4),
            (offset, chunk, p) -> {
              if (round2 >= offset && round2 < offset + chunk.length) {
                byte[] old = p.recorded(HANDSHAKE + 32, HANDSHAKE + 32 + frame);
                int cut = (int) (round2 - offset);
                byte[] out = new byte[chunk.length + old.length];
                System.arraycopy(chunk, 0, out, 0, cut);
                System.arraycopy(old, 0, out, cut, old.length);
                System.arraycopy(chunk, cut, out, cut + old.length, chunk.length - cut);
                return out;
              }
              return chunk;
            });
    for (int r = 0; r < 2; r++) {
      assertThat(outcomes.get(r).error()).as("rank %d", r).isInstanceOf(CollectiveException.class);
    }
    assertThat(outcomes.get(1).error()).hasMessageContaining("failed its integrity check");
  }

  @Test
  void ringsOfTwoRunsCannotConnectToEachOther() throws Exception {
    RingAuth otherRun = RingAuth.forStage(RingAuth.newRunKey(), null, runId, 5, 0);
    List<RingAllreduce.Listener> mine = listeners(2);
    List<RingAllreduce.Listener> theirs = listeners(2);
    List<String> a = addresses(mine);
    List<String> b = addresses(theirs);
    // rank 0 of this run is pointed at the other run's rank 1 (as after a mix-up of addresses).
    // The other run's rank 0 joins only once that attempt has ended: a ring that is complete
    // closes its listeners, and the stranger would then be refused instead of answered.
    java.util.concurrent.CountDownLatch strangerDone = new java.util.concurrent.CountDownLatch(1);
    List<Outcome<RingAllreduce>> outcomes =
        Ranks.run(
            3,
            r ->
                switch (r) {
                  case 0 -> {
                    try {
                      yield mine.get(0)
                          .connect(
                              List.of(a.get(0), b.get(1)),
                              0,
                              Duration.ofSeconds(2),
                              () -> false,
                              stage(5));
                    } finally {
                      strangerDone.countDown();
                    }
                  }
                  case 1 -> {
                    strangerDone.await();
                    yield theirs.get(0).connect(b, 0, TIMEOUT, () -> false, otherRun);
                  }
                  default -> theirs.get(1).connect(b, 1, TIMEOUT, () -> false, otherRun);
                });
    assertThat(outcomes.get(0).error())
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("answered the handshake without the ring's key");
    RingAllreduce t0 = outcomes.get(1).get();
    RingAllreduce t1 = outcomes.get(2).get();
    toClose.add(t0);
    toClose.add(t1);
    float[][] data = {{1, 2}, {3, 6}};
    Ranks.all(2, r -> List.of(t0, t1).get(r).mean(data[r]));
    assertThat(data[0]).containsExactly(2, 4);
    assertThat(data[1]).containsExactly(2, 4);
  }
}
