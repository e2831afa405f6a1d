package sparktrain.train.barrier;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.BarrierTaskContext;

/**
 * Spark's {@link BarrierTaskContext#allGather} without its one-second floor.
 *
 * <p>Spark (3.5 to 4.2) sends the sync request to the driver's barrier coordinator and then checks
 * for the reply in a loop of {@code Thread.sleep(1000)}: a sync costs at least a second even when
 * every task arrives at once (measured on the standalone cluster: "waited for 1001-1030 ms", about
 * 1 s of a 7 s epoch). The loop catches {@link InterruptedException}, checks whether the task was
 * killed and looks at the reply again. So while the task thread sleeps in that loop, a nudger
 * thread interrupts it every {@link #NUDGE_MILLIS} ms, and the reply is seen within that time.
 *
 * <p>The nudger interrupts only a thread that is sleeping inside Spark's barrier call, so no
 * interrupt reaches other code; when the sync returns, any nudge still pending is cleared. A task
 * that Spark killed meanwhile is left interrupted, as Spark left it.
 */
final class BarrierSync {
  /** How often a sleeping sync is woken to look for its reply. */
  static final long NUDGE_MILLIS = 5;

  private static final AtomicLong NUDGES = new AtomicLong();

  private BarrierSync() {}

  /** {@code ctx.allGather(message)}, woken every few milliseconds instead of every second. */
  static String[] allGather(BarrierTaskContext ctx, String message) {
    Thread caller = Thread.currentThread();
    AtomicBoolean done = new AtomicBoolean();
    Thread nudger =
        new Thread(
            () -> {
              while (!done.get()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(NUDGE_MILLIS));
                if (!done.get() && sleepingInBarrier(caller)) {
                  NUDGES.incrementAndGet();
                  caller.interrupt();
                }
              }
            },
            "sparktrain-barrier-sync-" + ctx.partitionId());
    nudger.setDaemon(true);
    nudger.start();
    try {
      return ctx.allGather(message);
    } finally {
      done.set(true);
      boolean joined = false;
      while (!joined) {
        try {
          nudger.join();
          joined = true;
        } catch (InterruptedException e) {
          // a nudge that landed after the sync: the flag is cleared below
        }
      }
      Thread.interrupted();
      if (ctx.isInterrupted()) {
        caller.interrupt();
      }
    }
  }

  /** How many times a sleeping sync was woken in this JVM (for tests). */
  static long nudges() {
    return NUDGES.get();
  }

  /** Whether {@code t} sleeps in the wait loop of Spark's barrier sync. */
  private static boolean sleepingInBarrier(Thread t) {
    if (t.getState() != Thread.State.TIMED_WAITING) {
      return false;
    }
    StackTraceElement[] stack = t.getStackTrace();
    // Thread.sleep (Java 17), or Thread.sleep0 below it (Java 21)
    if (stack.length < 2 || !stack[0].getClassName().equals(Thread.class.getName())) {
      return false;
    }
    for (int i = 1; i < Math.min(stack.length, 6); i++) {
      if (stack[i].getClassName().equals(BarrierTaskContext.class.getName())) {
        return true;
      }
    }
    return false;
  }
}
