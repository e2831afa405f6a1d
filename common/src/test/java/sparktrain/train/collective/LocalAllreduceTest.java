package sparktrain.train.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sparktrain.train.collective.Ranks.Outcome;

/** {@link LocalAllreduce}: ranks as threads of this JVM. */
class LocalAllreduceTest {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Duration SHORT = Duration.ofSeconds(2);
  private static final long FAST_MS = 3_000;

  private final String id = "test-" + UUID.randomUUID();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private List<LocalAllreduce> group(int n, Duration timeout) throws Exception {
    List<LocalAllreduce> groups = new ArrayList<>();
    for (Outcome<LocalAllreduce> o : Ranks.run(n, r -> LocalAllreduce.join(id, r, n, timeout))) {
      groups.add(o.get());
      toClose.add(o.get());
    }
    return groups;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 8})
  void meanMatchesPlainJavaAndIsBitIdenticalOnEveryRank(int n) throws Exception {
    List<LocalAllreduce> groups = group(n, LONG);
    Ranks.assertMeansOfEveryLength(groups);
    for (int r = 0; r < n; r++) {
      assertThat(groups.get(r).rank()).isEqualTo(r);
      assertThat(groups.get(r).size()).isEqualTo(n);
    }
  }

  @Test
  void resultIsTheRankOrderSumWhateverTheArrivalOrder() throws Exception {
    int n = 3;
    List<LocalAllreduce> groups = group(n, LONG);
    // values whose float sum depends on the order: (1e8 + 1) - 1e8 = 0, 1e8 - 1e8 + 1 = 1
    float[][] inputs = {{1e8f}, {1f}, {-1e8f}};
    float expected = ((1e8f + 1f) + -1e8f) / 3;
    for (int late = 0; late < n; late++) {
      int slow = late;
      float[][] results = {inputs[0].clone(), inputs[1].clone(), inputs[2].clone()};
      Ranks.all(
          n,
          r -> {
            if (r == slow) {
              Thread.sleep(50);
            }
            groups.get(r).mean(results[r]);
          });
      for (float[] res : results) {
        assertThat(Float.floatToIntBits(res[0])).isEqualTo(Float.floatToIntBits(expected));
      }
    }
  }

  @Test
  void fiftyConsecutiveCallsOnOneGroup() throws Exception {
    int n = 4;
    List<LocalAllreduce> groups = group(n, LONG);
    Ranks.assertConsecutiveMeans(groups, 50, 7, 5_000);
  }

  @Test
  void rankClosingWhileOthersWaitFailsThemFast() throws Exception {
    int n = 3;
    List<LocalAllreduce> groups = group(n, LONG);
    List<Outcome<Void>> outcomes =
        Ranks.each(
            n,
            r -> {
              if (r == 1) {
                Thread.sleep(200);
                groups.get(1).close();
              } else {
                groups.get(r).mean(new float[100]);
              }
            });
    assertThat(outcomes.get(1).error()).isNull();
    for (int r : new int[] {0, 2}) {
      assertThat(outcomes.get(r).error())
          .isInstanceOf(CollectiveException.class)
          .hasMessageContaining("rank " + r + ": group '" + id + "' failed: rank 1: closed");
      assertThat(outcomes.get(r).millis()).isLessThan(FAST_MS);
    }
    assertThat(LocalAllreduce.exists(id)).isFalse();
  }

  @Test
  void rankThatClosedFailsLaterCallsAtOnce() throws Exception {
    List<LocalAllreduce> groups = group(2, LONG);
    groups.get(1).close();
    long start = System.nanoTime();
    assertThatThrownBy(() -> groups.get(0).mean(new float[10]))
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("rank 1 closed the group");
    assertThat((System.nanoTime() - start) / 1e6).isLessThan(500.0);
  }

  @Test
  void rankThatFailsMidWayFailsTheOthersFast() throws Exception {
    int n = 4;
    List<LocalAllreduce> groups = group(n, LONG);
    AtomicReference<Thread> rank2 = new AtomicReference<>();
    List<Outcome<Void>> outcomes =
        Ranks.each(
            n,
            r -> {
              float[] data = new float[1_000];
              groups.get(r).mean(data); // one good call
              if (r == 2) {
                rank2.set(Thread.currentThread());
                Thread.currentThread().interrupt(); // e.g. its Spark task was killed
              }
              groups.get(r).mean(data);
            });
    for (int r = 0; r < n; r++) {
      assertThat(outcomes.get(r).error()).isInstanceOf(CollectiveException.class);
      assertThat(outcomes.get(r).millis()).isLessThan(FAST_MS);
    }
    assertThat(outcomes.get(2).error()).hasMessage("rank 2: interrupted in mean()");
    assertThat(outcomes.get(0).error()).hasMessageContaining("failed: rank 2: interrupted");
    assertThat(LocalAllreduce.exists(id)).isFalse();
  }

  @Test
  void rankThatStopsCallingTimesOutNamingIt() throws Exception {
    List<LocalAllreduce> groups = group(3, Duration.ofMillis(800));
    List<Outcome<Void>> outcomes =
        Ranks.each(
            3,
            r -> {
              if (r != 1) {
                groups.get(r).mean(new float[10]);
              }
            });
    List<String> messages = new ArrayList<>();
    for (int r : new int[] {0, 2}) {
      assertThat(outcomes.get(r).error()).isInstanceOf(CollectiveException.class);
      assertThat(outcomes.get(r).millis()).isBetween(700L, 2_000L);
      messages.add(outcomes.get(r).error().getMessage());
    }
    // one of them timed out; the other failed with it at once
    assertThat(messages)
        .anySatisfy(m -> assertThat(m).endsWith("ranks [1] did not reach mean() within 800 ms"));
  }

  @Test
  void rankThatNeverJoinsTimesOutNamingIt() throws Exception {
    List<Outcome<LocalAllreduce>> outcomes =
        Ranks.run(2, r -> LocalAllreduce.join(id, r, 3, SHORT));
    for (Outcome<LocalAllreduce> o : outcomes) {
      assertThat(o.error())
          .isInstanceOf(CollectiveException.class)
          .hasMessageContaining("ranks [2]");
      assertThat(o.millis()).isBetween(1_900L, 3_500L);
    }
    assertThat(outcomes)
        .anySatisfy(
            o ->
                assertThat(o.error())
                    .hasMessageEndingWith("did not join group '" + id + "' within 2 s"));
    assertThat(LocalAllreduce.exists(id)).isFalse();
  }

  @Test
  void lengthMismatchFailsEveryRank() throws Exception {
    int n = 3;
    List<LocalAllreduce> groups = group(n, LONG);
    List<Outcome<Void>> outcomes =
        Ranks.each(n, r -> groups.get(r).mean(new float[r == 1 ? 11 : 10]));
    assertThat(outcomes)
        .allSatisfy(
            o -> {
              assertThat(o.error())
                  .isInstanceOf(CollectiveException.class)
                  .hasMessageContaining("length mismatch");
              assertThat(o.millis()).isLessThan(FAST_MS);
            });
  }

  @Test
  void interruptedWhileWaitingFailsPromptlyAndKeepsTheFlag() throws Exception {
    List<LocalAllreduce> groups = group(2, LONG);
    AtomicReference<Boolean> flag = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                groups.get(0).mean(new float[10]); // rank 1 never calls
              } catch (CollectiveException e) {
                flag.set(Thread.currentThread().isInterrupted());
                error.set(e);
              }
            });
    waiter.start();
    Thread.sleep(300);
    long start = System.nanoTime();
    waiter.interrupt();
    waiter.join(5_000);
    assertThat((System.nanoTime() - start) / 1e6).isLessThan(1_000.0);
    assertThat(error.get()).hasMessageContaining("rank 0: interrupted in mean()");
    assertThat(flag.get()).isTrue();
    assertThatThrownBy(() -> groups.get(1).mean(new float[10]))
        .hasMessageContaining("failed: rank 0: interrupted");
  }

  @Test
  void cancellationCheckStopsMeanAndFailsTheGroup() throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    List<LocalAllreduce> groups = new ArrayList<>();
    for (Outcome<LocalAllreduce> o :
        Ranks.run(
            2, r -> LocalAllreduce.join(id, r, 2, LONG, r == 0 ? cancelled::get : () -> false))) {
      groups.add(o.get());
      toClose.add(o.get());
    }
    new Thread(
            () -> {
              RingAllreduceTest.sleep(300);
              cancelled.set(true);
            })
        .start();
    long start = System.nanoTime();
    assertThatThrownBy(() -> groups.get(0).mean(new float[10])) // rank 1 never calls
        .isInstanceOf(CollectiveException.class)
        .hasMessage("rank 0: cancelled in mean()");
    assertThat((System.nanoTime() - start) / 1e6).isBetween(250.0, 1_000.0);
    assertThatThrownBy(() -> groups.get(1).mean(new float[10]))
        .hasMessageContaining("failed: rank 0: cancelled in mean()");
  }

  @Test
  void groupIsRemovedWhenAllRanksClosedAndCanBeJoinedAfresh() throws Exception {
    List<LocalAllreduce> groups = group(2, LONG);
    Ranks.all(2, r -> groups.get(r).mean(new float[5]));
    groups.get(0).close();
    assertThat(LocalAllreduce.exists(id)).isTrue();
    groups.get(1).close();
    groups.get(1).close();
    assertThat(LocalAllreduce.exists(id)).isFalse();
    List<LocalAllreduce> again = group(2, LONG);
    float[][] data = {{1, 2}, {3, 4}};
    Ranks.all(2, r -> again.get(r).mean(data[r]));
    assertThat(data[0]).containsExactly(2, 3);
    assertThat(data[1]).containsExactly(2, 3);
  }

  @Test
  void joinRejectsAnotherSizeAndATakenRank() throws Exception {
    List<Outcome<Void>> outcomes =
        Ranks.each(
            2,
            r -> {
              if (r == 0) {
                toClose.add(LocalAllreduce.join(id, 0, 2, SHORT));
              } else {
                Thread.sleep(100);
                LocalAllreduce.join(id, 1, 3, SHORT);
              }
            });
    assertThat(outcomes.get(1).error()).hasMessageContaining("has size 2, this rank asked for 3");
    assertThat(outcomes.get(0).error()).isInstanceOf(CollectiveException.class);
    assertThat(outcomes.get(0).millis()).isLessThan(FAST_MS);

    String other = id + "-b";
    List<Outcome<LocalAllreduce>> twice =
        Ranks.run(2, r -> LocalAllreduce.join(other, 0, 2, Duration.ofMillis(500)));
    assertThat(twice).anySatisfy(o -> assertThat(o.error()).hasMessageContaining("already joined"));
  }

  @Test
  void sizeOneIsANoOp() {
    try (LocalAllreduce g = LocalAllreduce.join(id, 0, 1, SHORT)) {
      float[] data = {1, 2, 3};
      g.mean(data);
      g.mean(new float[0]);
      assertThat(data).containsExactly(1, 2, 3);
    }
    assertThat(LocalAllreduce.exists(id)).isFalse();
    assertThatThrownBy(() -> LocalAllreduce.join(id, 1, 1, SHORT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
