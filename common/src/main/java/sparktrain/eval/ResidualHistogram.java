package sparktrain.eval;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A one-pass, mergeable histogram of residuals: {@value #BINS} bins of width {@code w = 2^e} around
 * zero, bin k covering {@code [k·w, (k+1)·w)} for k in [-128, 128). When a value falls outside, the
 * width doubles (as often as needed) and neighbouring bins are added together, which is exact
 * because the new edges are old edges. Merging brings both to the wider width first.
 *
 * <p>The result depends only on the values, not on their order or partitioning: the width is the
 * smallest power of two (at least 2^-40) whose range holds every value. The data then span between
 * 32 and 256 bins (at least 64 when the residuals have both signs and similar ranges).
 */
public final class ResidualHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Number of bins. */
  public static final int BINS = 256;

  private static final int HALF = BINS / 2;
  private static final int MIN_EXPONENT = -40;

  private long[] counts = new long[BINS]; // counts[k + HALF] is bin k
  private int exponent = MIN_EXPONENT;
  private long total;

  /** Adds one finite value. */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("residual must be finite, got " + value);
    }
    int needed = exponent;
    while (!fits(value, needed)) {
      needed++;
    }
    coarsenTo(needed);
    int k = (int) Math.floor(Math.scalb(value, -exponent));
    counts[Math.min(BINS - 1, Math.max(0, k + HALF))]++;
    total++;
  }

  private static boolean fits(double value, int exponent) {
    double w = Math.scalb(1.0, exponent);
    return value >= -HALF * w && value < HALF * w;
  }

  private void coarsenTo(int newExponent) {
    if (newExponent == exponent) {
      return;
    }
    int shift = Math.min(31, newExponent - exponent);
    long[] c = new long[BINS];
    for (int i = 0; i < BINS; i++) {
      if (counts[i] != 0) {
        int k = (i - HALF) >> shift; // floor(k / 2^shift)
        c[k + HALF] += counts[i];
      }
    }
    counts = c;
    exponent = newExponent;
  }

  /** Adds {@code other} into this and returns this. */
  public ResidualHistogram merge(ResidualHistogram other) {
    int e = Math.max(exponent, other.exponent);
    coarsenTo(e);
    long[] theirs = other.countsAt(e);
    for (int i = 0; i < BINS; i++) {
      counts[i] += theirs[i];
    }
    total += other.total;
    return this;
  }

  private long[] countsAt(int e) {
    if (e == exponent) {
      return counts;
    }
    ResidualHistogram copy = new ResidualHistogram();
    copy.counts = counts.clone();
    copy.exponent = exponent;
    copy.coarsenTo(e);
    return copy.counts;
  }

  /** Width of every bin (a power of two). */
  public double binWidth() {
    return Math.scalb(1.0, exponent);
  }

  /** Values added. */
  public long total() {
    return total;
  }

  /** Lower edge of bin index i of {@link #counts()} ({@code (i - 128) · binWidth}). */
  public double lowerEdge(int i) {
    return (i - HALF) * binWidth();
  }

  /** Copy of all {@value #BINS} counts; index i covers [lowerEdge(i), lowerEdge(i) + binWidth). */
  public long[] counts() {
    return counts.clone();
  }

  /**
   * JSON-able form with empty bins trimmed at both ends: bin_width, lower_edge (of the first kept
   * bin), counts, total.
   */
  public Map<String, Object> toMap() {
    int first = 0;
    while (first < BINS && counts[first] == 0) {
      first++;
    }
    int last = BINS - 1;
    while (last >= first && counts[last] == 0) {
      last--;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bin_width", binWidth());
    m.put("lower_edge", first < BINS ? lowerEdge(first) : 0.0);
    m.put("counts", first <= last ? Arrays.copyOfRange(counts, first, last + 1) : new long[0]);
    m.put("total", total);
    return m;
  }
}
