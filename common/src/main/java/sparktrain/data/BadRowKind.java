package sparktrain.data;

import java.util.Locale;

/** Why an input row cannot be used; {@link #key()} is its name in logs and {@code summary.json}. */
public enum BadRowKind {
  /** A CSV line with more or fewer cells than the header (or the first line). */
  WRONG_COLUMN_COUNT,
  /** An empty cell, or a null in Parquet. */
  MISSING_VALUE,
  /** A feature or label cell that is not a number. */
  NON_NUMERIC,
  /** NaN or an infinite value (or one beyond the float range). */
  NOT_FINITE,
  /** A class index outside [0, classes), or not a whole number. */
  LABEL_OUT_OF_RANGE,
  /** One-hot label columns that are not exactly one 1 and otherwise 0. */
  BAD_ONE_HOT,
  /** A libsvm feature index outside [1, num-features]. */
  FEATURE_INDEX_OUT_OF_RANGE,
  /** A line that cannot be split (unterminated quote, libsvm token without ':', ...). */
  MALFORMED;

  /** Kebab-case name, e.g. {@code non-numeric}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
