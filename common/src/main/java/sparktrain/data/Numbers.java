package sparktrain.data;

import java.util.Locale;
import java.util.Set;

/** Strict parsing of numeric cells: plain decimal notation only, with the reason for a failure. */
final class Numbers {
  private static final Set<String> NOT_FINITE_WORDS =
      Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");

  private Numbers() {}

  /**
   * The value of {@code text} (already trimmed), or NaN when it is empty or not a number. A finite
   * result means the cell is good; otherwise {@link #problem} says why.
   */
  static double value(String text) {
    if (!looksNumeric(text)) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Why {@code text} gave no finite value: missing, not finite, or not a number. */
  static BadRowKind problem(String text) {
    if (text.isEmpty()) {
      return BadRowKind.MISSING_VALUE;
    }
    if (NOT_FINITE_WORDS.contains(text.toLowerCase(Locale.ROOT))) {
      return BadRowKind.NOT_FINITE;
    }
    double v = value(text);
    return Double.isInfinite(v) ? BadRowKind.NOT_FINITE : BadRowKind.NON_NUMERIC;
  }

  /** What was expected, for a message about {@code text}. */
  static String describe(String text) {
    return switch (problem(text)) {
      case MISSING_VALUE -> "expected a number, got an empty cell";
      case NOT_FINITE -> "expected a finite number, got '" + text + "'";
      default -> "expected a number, got '" + shorten(text) + "'";
    };
  }

  /** Whether a finite double is also finite as a float (features are floats). */
  static boolean fitsFloat(double v) {
    return Float.isFinite((float) v);
  }

  /** At most 40 characters of {@code text}, for messages. */
  static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  private static boolean looksNumeric(String s) {
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digit;
  }
}
