package sparktrain.checkpoint;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * A test main that makes a JVM die between writing a checkpoint and publishing it: it installs a
 * {@link CheckpointStore.BeforePublish} hook that halts the JVM like {@code kill -9} (no shutdown
 * hooks, exit status {@value #HALT_STATUS}) once the named checkpoint's files are written, then
 * runs the real main class with the remaining arguments.
 *
 * <p>Usage: {@code HaltBeforePublishMain CHECKPOINT MAIN-CLASS [ARGS...]}, where {@code CHECKPOINT}
 * is a checkpoint name such as {@code epoch-0002}, or {@code *} for the first one written.
 */
public final class HaltBeforePublishMain {
  /** Exit status of a JVM halted by this main's hook. */
  public static final int HALT_STATUS = 86;

  private HaltBeforePublishMain() {}

  /** Installs the hook for {@code args[0]} and runs {@code args[1]}'s main with the rest. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: HaltBeforePublishMain CHECKPOINT MAIN-CLASS ...");
    }
    String checkpoint = args[0];
    CheckpointStore.beforePublish =
        (name, written) -> {
          if (checkpoint.equals(name) || checkpoint.equals("*")) {
            System.err.println(
                "HaltBeforePublishMain: halting after writing "
                    + written
                    + ", before publishing "
                    + name);
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
          }
        };
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
  }
}
