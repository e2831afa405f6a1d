package sparktrain.jobs;

import picocli.CommandLine;
import sparktrain.checkpoint.CheckpointCorruptException;
import sparktrain.config.ConfigException;
import sparktrain.data.DataException;
import sparktrain.eval.JobArgumentException;
import sparktrain.registry.RegistryException;
import sparktrain.registry.RegistryLockedException;
import sparktrain.spark.SparkArgumentException;
import sparktrain.train.RunDirectoryException;

/** Exit codes of every command, decided in one place. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Runtime failure (Spark, I/O, a bug). */
  public static final int FAILURE = 1;

  /** Usage, config or input-data error: the user can fix it without a code change. */
  public static final int USER_ERROR = 2;

  /**
   * The model registry is locked by another retrain, promotion or rollback (nothing was changed): a
   * scheduler may retry later; {@code --break-lock} removes a lock left by a dead process.
   */
  public static final int LOCKED = 3;

  private ExitCodes() {}

  /** The exit code for a failure, looking through wrapping exceptions (Spark wraps executors'). */
  public static int of(Throwable t) {
    if (isLocked(t)) {
      return LOCKED;
    }
    return isUserError(t) ? USER_ERROR : FAILURE;
  }

  /** Whether the failure, or any of its causes, is a registry lock held by someone else. */
  public static boolean isLocked(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RegistryLockedException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** Whether the failure, or any of its causes, is one the user can fix. */
  public static boolean isUserError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException
          || c instanceof DataException
          || c instanceof RunDirectoryException
          || c instanceof CheckpointCorruptException
          || c instanceof RegistryException
          || c instanceof JobArgumentException
          || c instanceof SparkArgumentException
          || c instanceof CommandLine.ParameterException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /**
   * The user-facing message: the lock's message, else the innermost user error's message, else the
   * failure's.
   */
  public static String message(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RegistryLockedException) {
        return c.getMessage();
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (isUserError(c) && (c.getCause() == null || !isUserError(c.getCause()))) {
        return c.getMessage();
      }
    }
    return t.toString();
  }
}
