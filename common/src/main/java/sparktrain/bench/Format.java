package sparktrain.bench;

import java.util.Locale;

/** Number formatting of the benchmark's logs and table. */
final class Format {
  private Format() {}

  static String seconds(double s) {
    return String.format(Locale.ROOT, "%.1f", s);
  }

  static String accuracy(double a) {
    return String.format(Locale.ROOT, "%.4f", a);
  }

  static String ratio(Double r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.2fx", r);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%d", Math.round(bytes / 1048576.0));
  }

  static String count(double n) {
    return String.format(Locale.ROOT, "%,.0f", n);
  }

  /** Rounds to 4 decimals for JSON (milliseconds on seconds, 0.0001 on accuracy). */
  static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
