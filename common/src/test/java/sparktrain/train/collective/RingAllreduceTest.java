package sparktrain.train.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sparktrain.train.collective.Ranks.Outcome;

/** {@link RingAllreduce} over real sockets on 127.0.0.1, ranks as threads. */
class RingAllreduceTest {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Duration SHORT = Duration.ofSeconds(2);

  /** Failure detected from a closed socket, not from the timeout: well under {@link #LONG}. */
  private static final long FAST_MS = 3_000;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private List<RingAllreduce.Listener> listeners(int n) throws IOException {
    return Ranks.listeners(n, toClose);
  }

  private static List<String> addresses(List<RingAllreduce.Listener> ls) {
    return Ranks.addresses(ls);
  }

  private List<RingAllreduce> ring(int n, Duration timeout) throws Exception {
    List<RingAllreduce.Listener> ls = listeners(n);
    List<String> addresses = addresses(ls);
    List<RingAllreduce> groups = new ArrayList<>();
    for (Outcome<RingAllreduce> o : Ranks.run(n, r -> ls.get(r).connect(addresses, r, timeout))) {
      groups.add(o.get());
      toClose.add(o.get());
    }
    return groups;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 8})
  void meanMatchesPlainJavaAndIsBitIdenticalOnEveryRank(int n) throws Exception {
    List<RingAllreduce> groups = ring(n, LONG);
    Ranks.assertMeansOfEveryLength(groups);
    assertThat(groups).extracting(Allreduce::rank).containsExactlyElementsOf(range(n));
    assertThat(groups).allSatisfy(g -> assertThat(g.size()).isEqualTo(n));
  }

  @Test
  void fiftyConsecutiveCallsOnOneGroup() throws Exception {
    int n = 3;
    List<RingAllreduce> groups = ring(n, LONG);
    Ranks.assertConsecutiveMeans(groups, 50, 42, 1_000);
  }

  @Test
  void peerDyingMidTransferFailsEveryRankFast() throws Exception {
    int n = 4;
    List<RingAllreduce> groups = ring(n, LONG);
    groups.get(2).dieAfterSending(100_000); // within its first chunk of 1 MB
    List<Outcome<Void>> outcomes =
        Ranks.each(n, r -> groups.get(r).mean(Ranks.data(1, r, 0, 1_000_000)));
    for (int r = 0; r < n; r++) {
      Outcome<Void> o = outcomes.get(r);
      assertThat(o.error())
          .isInstanceOf(CollectiveException.class)
          .hasMessageStartingWith("rank " + r + ":");
      assertThat(o.millis()).isLessThan(FAST_MS);
    }
    assertThat(outcomes.get(2).error()).hasMessageContaining("test hook");
    // a neighbour of rank 2 notices first and names it; the rest may hear of it through others
    String peer2 = "peer 2 (" + addressOf(groups, 2) + ") closed the connection";
    assertThat(List.of(outcomes.get(1).error(), outcomes.get(3).error()))
        .anySatisfy(e -> assertThat(e).hasMessageContaining(peer2));
    // the group stays failed
    assertThatThrownBy(() -> groups.get(0).mean(new float[1_000_000]))
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("failed earlier");
  }

  private static String addressOf(List<RingAllreduce> groups, int rank) {
    return groups.get((rank + 1) % groups.size()).links().prev().address();
  }

  @Test
  void peerThatClosedFailsTheOthersFast() throws Exception {
    int n = 3;
    List<RingAllreduce> groups = ring(n, LONG);
    groups.get(1).close();
    List<Outcome<Void>> outcomes = Ranks.each(n, r -> groups.get(r).mean(new float[10_000]));
    for (Outcome<Void> o : outcomes) {
      assertThat(o.error()).isInstanceOf(CollectiveException.class);
      assertThat(o.millis()).isLessThan(FAST_MS);
    }
    assertThat(outcomes.get(1).error()).hasMessageContaining("closed group");
    assertThat(outcomes.get(2).error())
        .hasMessageContaining("peer 1")
        .hasMessageContaining("closed");
  }

  @Test
  void peerThatStopsCallingTimesOutNamingIt() throws Exception {
    List<RingAllreduce> groups = ring(2, Duration.ofMillis(800));
    long start = System.nanoTime();
    assertThatThrownBy(() -> groups.get(0).mean(new float[100]))
        .isInstanceOf(CollectiveException.class)
        .hasMessageStartingWith("rank 0: no data from peer 1 (127.0.0.1:")
        .hasMessageEndingWith(" for 800 ms");
    assertThat((System.nanoTime() - start) / 1e6).isBetween(700.0, 2_000.0);
  }

  @Test
  void peerThatNeverConnectsTimesOutNamingIt() throws Exception {
    List<RingAllreduce.Listener> ls = listeners(3);
    List<String> addresses = addresses(ls);
    // rank 2 listens (its address was published) but never calls connect()
    List<Outcome<RingAllreduce>> outcomes =
        Ranks.run(2, r -> ls.get(r).connect(addresses, r, SHORT));
    String peer2 = "peer 2 (" + addresses.get(2) + ")";
    assertThat(outcomes.get(0).error())
        .isInstanceOf(CollectiveException.class)
        .hasMessage("rank 0: " + peer2 + " did not connect within 2 s");
    assertThat(outcomes.get(1).error())
        .isInstanceOf(CollectiveException.class)
        .hasMessageStartingWith("rank 1: " + peer2 + " took the connection");
    assertThat(outcomes).allSatisfy(o -> assertThat(o.millis()).isBetween(1_900L, 4_000L));
  }

  @Test
  void peerWithNothingListeningTimesOutNamingIt() throws Exception {
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> addresses = addresses(ls);
    ls.get(1).close();
    assertThatThrownBy(() -> ls.get(0).connect(addresses, 0, Duration.ofMillis(500)))
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("cannot connect to peer 1 (" + addresses.get(1) + ") within 500 ms")
        .hasMessageContaining("Connection refused");
  }

  @Test
  void strayConnectionsToAListenerAreIgnored() throws Exception {
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> addresses = addresses(ls);
    try (java.net.Socket stray = new java.net.Socket("127.0.0.1", port(addresses.get(1)));
        java.net.Socket silent = new java.net.Socket("127.0.0.1", port(addresses.get(1)))) {
      stray.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      List<RingAllreduce> groups = new ArrayList<>();
      for (Outcome<RingAllreduce> o : Ranks.run(2, r -> ls.get(r).connect(addresses, r, SHORT))) {
        groups.add(o.get());
        toClose.add(o.get());
      }
      float[][] data = {{1, 2}, {3, 6}};
      Ranks.all(2, r -> groups.get(r).mean(data[r]));
      assertThat(data[0]).containsExactly(2, 4);
      assertThat(data[1]).containsExactly(2, 4);
    }
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  @Test
  void lengthMismatchFailsEveryRank() throws Exception {
    int n = 3;
    List<RingAllreduce> groups = ring(n, LONG);
    List<Outcome<Void>> outcomes =
        Ranks.each(n, r -> groups.get(r).mean(new float[r == 1 ? 11 : 10]));
    assertThat(outcomes)
        .allSatisfy(
            o -> {
              assertThat(o.error()).isInstanceOf(CollectiveException.class);
              assertThat(o.millis()).isLessThan(FAST_MS);
            });
    // rank 1 (11 floats after 10) or rank 2 (10 after 11) sees the mismatch first; its failure
    // then reaches the other ranks as a closed connection, possibly before they read a header
    assertThat(outcomes.stream().map(o -> o.error().getMessage()))
        .anySatisfy(
            m ->
                assertThat(m)
                    .matches(
                        "rank 1: length mismatch: this rank has 11 floats, peer 0 \\(.*\\) has 10.*"
                            + "|rank 2: length mismatch: this rank has 10 floats, peer 1 \\(.*\\) has 11.*"));
  }

  @Test
  void interruptedRankFailsPromptlyAndKeepsItsInterruptFlag() throws Exception {
    List<RingAllreduce> groups = ring(2, LONG);
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                groups.get(0).mean(new float[1_000]); // rank 1 never calls
              } catch (CollectiveException e) {
                flag.set(Thread.currentThread().isInterrupted());
                throw e;
              }
            });
    AtomicReference<Throwable> error = new AtomicReference<>();
    waiter.setUncaughtExceptionHandler((t, e) -> error.set(e));
    waiter.start();
    Thread.sleep(300);
    long start = System.nanoTime();
    waiter.interrupt();
    waiter.join(5_000);
    assertThat((System.nanoTime() - start) / 1e6).isLessThan(1_000.0);
    assertThat(error.get())
        .isInstanceOf(CollectiveException.class)
        .hasMessage("rank 0: interrupted in mean()");
    assertThat(flag.get()).isTrue();
    // its peer fails fast too
    assertThatThrownBy(() -> groups.get(1).mean(new float[1_000]))
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("peer 0");
  }

  @Test
  void cancellationCheckStopsConnectAndMeanPromptly() throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> addresses = addresses(ls);
    List<Outcome<RingAllreduce>> groups =
        Ranks.run(2, r -> ls.get(r).connect(addresses, r, LONG, cancelled::get));
    groups.forEach(o -> toClose.add(o.get()));
    new Thread(
            () -> {
              sleep(300);
              cancelled.set(true); // as TaskContext.isInterrupted() after Spark kills the task
            })
        .start();
    long start = System.nanoTime();
    assertThatThrownBy(() -> groups.get(0).get().mean(new float[100])) // rank 1 never calls
        .isInstanceOf(CollectiveException.class)
        .hasMessage("rank 0: cancelled in mean()");
    assertThat((System.nanoTime() - start) / 1e6).isBetween(250.0, 1_000.0);

    List<RingAllreduce.Listener> more = listeners(2);
    assertThatThrownBy(() -> more.get(0).connect(addresses(more), 0, LONG, cancelled::get))
        .isInstanceOf(CollectiveException.class)
        .hasMessage("rank 0: cancelled while connecting the ring");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void alreadyInterruptedThreadFailsAtOnce() throws Exception {
    List<RingAllreduce> groups = ring(2, LONG);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> groups.get(0).mean(new float[10]))
          .isInstanceOf(CollectiveException.class)
          .hasMessageContaining("interrupted");
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void interruptedWhileConnectingFails() throws Exception {
    List<RingAllreduce.Listener> ls = listeners(2);
    List<String> addresses = addresses(ls);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> ls.get(0).connect(addresses, 0, LONG))
          .isInstanceOf(CollectiveException.class)
          .hasMessageContaining("interrupted while connecting");
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void sizeOneIsANoOpAndCloseIsIdempotent() throws Exception {
    RingAllreduce.Listener l = RingAllreduce.listen("127.0.0.1");
    RingAllreduce g = l.connect(List.of(l.address()), 0, SHORT);
    float[] data = {1, 2, 3};
    g.mean(data);
    g.mean(new float[0]);
    assertThat(data).containsExactly(1, 2, 3);
    assertThat(g.size()).isEqualTo(1);
    g.close();
    g.close();
    assertThatThrownBy(() -> g.mean(data)).isInstanceOf(CollectiveException.class);
  }

  @Test
  void badArgumentsAreRejected() throws Exception {
    RingAllreduce.Listener l = RingAllreduce.listen("127.0.0.1");
    toClose.add(l);
    assertThatThrownBy(() -> l.connect(List.of(l.address()), 1, SHORT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> l.connect(List.of("nope"), 0, SHORT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> l.connect(List.of(l.address()), 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(l.address()).startsWith("127.0.0.1:");
    l.connect(List.of(l.address()), 0, SHORT).close();
    assertThatThrownBy(() -> l.connect(List.of(l.address()), 0, SHORT))
        .isInstanceOf(IllegalStateException.class);
  }

  private static List<Integer> range(int n) {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(i);
    }
    return r;
  }
}
