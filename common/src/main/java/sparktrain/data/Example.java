package sparktrain.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One labelled example: a feature vector and a label.
 *
 * <p>The label is the class index for classification and the target value for regression. The
 * feature array is not copied (datasets hold millions of examples); callers must not modify it
 * after construction or through {@link #features()}.
 */
public final class Example implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] features;
  private final double label;
  private final String[] kept;

  /** Creates an example; {@code features} is kept, not copied. */
  public Example(float[] features, double label) {
    this(features, label, null);
  }

  /**
   * Creates an example that carries input cells to copy into its prediction row ({@code predict
   * --keep-columns}); {@code kept} may be null (none).
   */
  public Example(float[] features, double label, String[] kept) {
    this.features = Objects.requireNonNull(features, "features");
    this.label = label;
    this.kept = kept;
  }

  /** The kept input cells as text, or null when none were asked for. */
  public String[] kept() {
    return kept;
  }

  /** This example with another label, the same features and kept cells. */
  public Example withLabel(double other) {
    return new Example(features, other, kept);
  }

  /** The feature vector (the array itself, not a copy: do not modify it). */
  public float[] features() {
    return features;
  }

  /** The number of features. */
  public int numFeatures() {
    return features.length;
  }

  /** The class index (classification) or the target value (regression). */
  public double label() {
    return label;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Example)) {
      return false;
    }
    Example other = (Example) o;
    return Double.compare(label, other.label) == 0 && Arrays.equals(features, other.features);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(features) + Double.hashCode(label);
  }

  @Override
  public String toString() {
    return "Example{label=" + label + ", features=" + features.length + " values}";
  }
}
