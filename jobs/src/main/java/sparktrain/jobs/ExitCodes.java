package sparktrain.jobs;

import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine;
import sparktrain.errors.UserInputException;
import sparktrain.lease.LeaseHeldException;

/**
 * Exit codes of every command, decided in one place: a {@link UserInputException} anywhere in a
 * failure's cause chain (or a picocli usage error) is {@link #USER_ERROR}, a lease held by someone
 * else (a registry's lock, an output directory's lease) is {@link #LOCKED}, anything else {@link
 * #FAILURE}.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Runtime failure (Spark, I/O, a bug). */
  public static final int FAILURE = 1;

  /** Usage, config or input-data error: the user can fix it without a code change. */
  public static final int USER_ERROR = 2;

  /**
   * The model registry is locked by another retrain, promotion or rollback, or the output directory
   * is being written by another command (nothing was changed): a scheduler may retry later; {@code
   * --break-lock} removes a registry lock left by a dead process, and an expired lease is taken
   * over.
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

  /** Whether the failure, or any of its causes, is a lease held (or lost) to someone else. */
  public static boolean isLocked(Throwable t) {
    return innermost(t, LeaseHeldException.class::isInstance).isPresent();
  }

  /** Whether the failure, or any of its causes, is one the user can fix. */
  public static boolean isUserError(Throwable t) {
    return innermostUserError(t).isPresent();
  }

  /**
   * The user-facing message: the lock's message, else the innermost user error's message, else the
   * failure's.
   */
  public static String message(Throwable t) {
    return innermost(t, LeaseHeldException.class::isInstance)
        .or(() -> innermostUserError(t))
        .map(Throwable::getMessage)
        .orElseGet(t::toString);
  }

  private static Optional<Throwable> innermostUserError(Throwable t) {
    return innermost(
        t, c -> c instanceof UserInputException || c instanceof CommandLine.ParameterException);
  }

  /** The innermost exception in the cause chain of {@code t} that is {@code wanted}, if any. */
  private static Optional<Throwable> innermost(Throwable t, Predicate<Throwable> wanted) {
    Throwable found = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (wanted.test(c)) {
        found = c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return Optional.ofNullable(found);
  }
}
