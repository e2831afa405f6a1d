package sparktrain.train;

import java.util.Locale;
import java.util.Optional;

/**
 * The barrier engine's advisor: from an epoch's measured rounds, warns when averaging takes a large
 * share of each round and suggests an averaging frequency that brings it down.
 *
 * <p>A barrier round is {@code f} minibatches of fitting ({@code F} ms for the slowest worker) plus
 * one allreduce ({@code A} ms, including the wait for slower workers). With the allreduce roughly
 * constant per round and fitting proportional to {@code f}, averaging every {@code f'} minibatches
 * spends {@code A / (A + F f'/f)} on averaging; the suggestion is the smallest {@code f'} that
 * brings this to {@value #TARGET_SHARE} or less. The DL4J engine's rounds are Spark jobs and have
 * their own advisor, {@link RoundAdvisor}.
 */
public final class AveragingAdvisor {
  /** Averaging share of a round above which the advisor warns. */
  public static final double WARN_SHARE = 0.25;

  /** Averaging share the suggestion aims at. */
  public static final double TARGET_SHARE = 0.1;

  private AveragingAdvisor() {}

  /**
   * The warning for an epoch's rounds, if averaging took more than {@link #WARN_SHARE} of them.
   *
   * @param averagingFrequency the configured {@code training.averaging-frequency}
   */
  public static Optional<String> advise(EpochFit fit, int averagingFrequency) {
    if (fit.averageMillis().isEmpty() || fit.fitMillis().isEmpty()) {
      return Optional.empty();
    }
    double a = EpochFit.median(fit.averageMillis());
    double f = EpochFit.median(fit.fitMillis());
    double share = a / (a + f);
    if (!(share > WARN_SHARE) || f <= 0) {
      return Optional.empty();
    }
    double perBatch = f / averagingFrequency;
    int suggested = (int) Math.ceil(a * (1 - TARGET_SHARE) / (TARGET_SHARE * perBatch) - 1e-9);
    return Optional.of(
        String.format(
            Locale.ROOT,
            "averaging takes %.0f%% of each round (%.2f ms of allreduce, including waits for"
                + " slower workers, against %.2f ms of fitting %d minibatches): set"
                + " training.averaging-frequency = %d to bring it to %.0f%%",
            100 * share,
            a,
            f,
            averagingFrequency,
            Math.max(averagingFrequency + 1, suggested),
            100 * TARGET_SHARE));
  }
}
