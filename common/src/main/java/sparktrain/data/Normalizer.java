package sparktrain.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.config.Normalization;
import sparktrain.io.Json;

/**
 * A fitted feature transform {@code x' = (x - offset) * scale}, per feature or the same for all.
 * {@link #fit} computes the statistics on the executors; the normalizer is small, applied on the
 * executors when minibatches are built, and saved as {@value #FILE_NAME} in every checkpoint and
 * model so that evaluation and prediction apply exactly the training transform.
 *
 * <ul>
 *   <li>{@code standardize}: offset = mean, scale = 1 / population std;
 *   <li>{@code min-max}: offset = min, scale = 1 / (max - min);
 *   <li>{@code image-scale}: x / 255; {@code none}: x.
 * </ul>
 *
 * A constant feature (std or range 0) gets scale 1, so it becomes 0, never NaN or infinite.
 */
public final class Normalizer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Name of the file in checkpoints and model directories. */
  public static final String FILE_NAME = "normalizer.json";

  private static final int FORMAT_VERSION = 1;

  private final Normalization kind;
  private final List<String> features;
  private final long count;
  private final double[] offset;
  private final double[] scale;
  private final double constantScale;
  private final Map<String, double[]> statistics;

  /** The transformed values of the bytes 0..255 when one scale applies to all (built on use). */
  private transient float[] byteValues;

  private Normalizer(
      Normalization kind,
      List<String> features,
      long count,
      double[] offset,
      double[] scale,
      double constantScale,
      Map<String, double[]> statistics) {
    this.kind = kind;
    this.features = List.copyOf(features);
    this.count = count;
    this.offset = offset;
    this.scale = scale;
    this.constantScale = constantScale;
    this.statistics = statistics;
  }

  /** The identity ({@code none}). */
  public static Normalizer none() {
    return new Normalizer(Normalization.NONE, List.of(), 0, null, null, 1, Map.of());
  }

  /** Division of every value by 255 ({@code image-scale}). */
  public static Normalizer imageScale() {
    return new Normalizer(Normalization.IMAGE_SCALE, List.of(), 0, null, null, 1.0 / 255, Map.of());
  }

  /**
   * Fits a normalizer of {@code kind} on {@code train} (the training split only): for standardize
   * and min-max one {@code treeAggregate} of {@link FeatureStats} on the executors; the other kinds
   * need no data.
   *
   * @param featureNames the features' names, recorded in the JSON (may be empty)
   * @throws DataException if {@code train} is empty and statistics are needed
   */
  public static Normalizer fit(
      JavaRDD<Example> train, Normalization kind, List<String> featureNames) {
    return switch (kind) {
      case NONE -> none();
      case IMAGE_SCALE -> imageScale();
      case STANDARDIZE, MIN_MAX ->
          fromStats(
              kind,
              featureNames,
              train.treeAggregate(
                  new FeatureStats(), (s, e) -> s.add(e.features()), FeatureStats::merge, 2));
      case AUTO -> throw new IllegalArgumentException("normalization auto is resolved by config");
    };
  }

  /** A standardize or min-max normalizer from statistics computed elsewhere. */
  public static Normalizer fromStats(
      Normalization kind, List<String> featureNames, FeatureStats stats) {
    if (stats.count() == 0) {
      throw new DataException("cannot fit " + kind.configName() + " normalization: no examples");
    }
    double[] mean = stats.mean();
    double[] std = stats.std();
    double[] min = stats.min();
    double[] max = stats.max();
    int width = stats.width();
    double[] offset = new double[width];
    double[] scale = new double[width];
    for (int j = 0; j < width; j++) {
      double spread = kind == Normalization.STANDARDIZE ? std[j] : max[j] - min[j];
      offset[j] = kind == Normalization.STANDARDIZE ? mean[j] : min[j];
      scale[j] = spread > 0 && Double.isFinite(1 / spread) ? 1 / spread : 1;
    }
    Map<String, double[]> statistics = new LinkedHashMap<>();
    statistics.put("mean", mean);
    statistics.put("std", std);
    statistics.put("min", min);
    statistics.put("max", max);
    return new Normalizer(kind, featureNames, stats.count(), offset, scale, 1, statistics);
  }

  /** The kind of transform. */
  public Normalization kind() {
    return kind;
  }

  /** The feature names recorded at fit time (empty when unknown). */
  public List<String> featureNames() {
    return features;
  }

  /** The number of training examples the statistics came from (0 for fixed transforms). */
  public long count() {
    return count;
  }

  /** The statistic {@code mean}, {@code std}, {@code min} or {@code max}, or empty. */
  public double[] statistic(String name) {
    double[] s = statistics.get(name);
    return s == null ? new double[0] : s.clone();
  }

  /** The number of features the transform was fitted on, or 0 if it applies to any width. */
  public int width() {
    return offset == null ? 0 : offset.length;
  }

  /** The transformed value of feature {@code j}. */
  public float apply(int j, float x) {
    if (offset == null) {
      return (float) (x * constantScale);
    }
    return (float) ((x - offset[j]) * scale[j]);
  }

  /** The transformed copy of a feature vector. */
  public float[] apply(float[] x) {
    checkWidth(x.length);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = apply(j, x[j]);
    }
    return out;
  }

  /**
   * Writes the transformed row of {@code width} unsigned bytes at {@code src[from]} into {@code
   * dst[at]}: the values {@link #applyInPlace} gives the same row as floats, decoded and
   * transformed in one pass.
   */
  public void decodeRow(byte[] src, int from, float[] dst, int at, int width) {
    if (offset == null) {
      float[] values = byteValues();
      for (int k = 0; k < width; k++) {
        dst[at + k] = values[src[from + k] & 0xFF];
      }
      return;
    }
    for (int k = 0; k < width; k++) {
      dst[at + k] = (float) (((src[from + k] & 0xFF) - offset[k]) * scale[k]);
    }
  }

  /**
   * Writes the transformed row of {@code width} features at {@code src[from]} into {@code dst[at]}
   * (the values of {@link #applyInPlace}).
   */
  public void applyRow(float[] src, int from, float[] dst, int at, int width) {
    if (offset == null) {
      float c = (float) constantScale;
      for (int k = 0; k < width; k++) {
        dst[at + k] = c != 1f ? (float) (src[from + k] * constantScale) : src[from + k];
      }
      return;
    }
    for (int k = 0; k < width; k++) {
      dst[at + k] = (float) ((src[from + k] - offset[k]) * scale[k]);
    }
  }

  private float[] byteValues() {
    float[] values = byteValues;
    if (values == null) {
      values = new float[256];
      boolean identity = (float) constantScale == 1f;
      for (int v = 0; v < 256; v++) {
        values[v] = identity ? v : (float) (v * constantScale);
      }
      byteValues = values;
    }
    return values;
  }

  /** Transforms rows of {@code width} features, laid out one after the other, in place. */
  public void applyInPlace(float[] rows, int width) {
    checkWidth(width);
    if (offset == null) {
      float c = (float) constantScale;
      if (c != 1f) {
        for (int i = 0; i < rows.length; i++) {
          rows[i] = (float) (rows[i] * constantScale);
        }
      }
      return;
    }
    for (int start = 0; start < rows.length; start += width) {
      for (int j = 0; j < width; j++) {
        rows[start + j] = (float) ((rows[start + j] - offset[j]) * scale[j]);
      }
    }
  }

  /**
   * Checks that vectors of {@code width} features fit.
   *
   * @throws IllegalArgumentException naming both widths
   */
  public void checkWidth(int width) {
    if (offset != null && width != offset.length) {
      throw new IllegalArgumentException(
          "normalizer fitted on "
              + offset.length
              + " features cannot transform a vector of "
              + width
              + " features");
    }
  }

  /** {@value #FILE_NAME} content. */
  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", FORMAT_VERSION);
    m.put("kind", kind.configName());
    m.put("features", features);
    m.put("count", count);
    if (offset == null) {
      m.put("scale", constantScale);
    } else {
      m.put("offset", offset);
      m.put("scale", scale);
      m.putAll(statistics);
    }
    return Json.pretty(m);
  }

  /**
   * Reads {@link #toJson()} output; the result transforms exactly as the saved normalizer.
   *
   * @throws IOException if it is not a normalizer of a known format version
   */
  public static Normalizer fromJson(byte[] json) throws IOException {
    JsonNode root = Json.MAPPER.readTree(json);
    if (root == null || root.path("format_version").asInt() != FORMAT_VERSION) {
      throw new IOException(
          FILE_NAME + ": expected format_version " + FORMAT_VERSION + ", got " + root);
    }
    Normalization kind;
    try {
      kind = Normalization.fromConfig(root.path("kind").asText());
    } catch (IllegalArgumentException e) {
      throw new IOException(FILE_NAME + ": " + e.getMessage(), e);
    }
    List<String> features = new ArrayList<>();
    root.path("features").forEach(n -> features.add(n.asText()));
    long count = root.path("count").asLong();
    JsonNode scale = root.path("scale");
    if (!scale.isArray()) {
      return new Normalizer(kind, features, count, null, null, scale.asDouble(1), Map.of());
    }
    Map<String, double[]> statistics = new LinkedHashMap<>();
    for (String name : List.of("mean", "std", "min", "max")) {
      if (root.has(name)) {
        statistics.put(name, doubles(root.path(name)));
      }
    }
    double[] offset = doubles(root.path("offset"));
    double[] scales = doubles(scale);
    if (offset.length != scales.length) {
      throw new IOException(
          FILE_NAME
              + ": offset and scale differ in length: "
              + offset.length
              + ", "
              + scales.length);
    }
    return new Normalizer(kind, features, count, offset, scales, 1, statistics);
  }

  /**
   * The normalizer saved in a checkpoint or model directory, if it has one.
   *
   * @throws IOException if the file is there but unreadable
   */
  public static Optional<Normalizer> find(LoadedCheckpoint checkpoint) throws IOException {
    if (!checkpoint.extraFileNames().contains(FILE_NAME)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(checkpoint.extraFile(FILE_NAME)));
    } catch (IOException e) {
      throw new IOException(checkpoint.uri() + "/" + FILE_NAME + ": " + e.getMessage(), e);
    }
  }

  /**
   * The normalizer saved in a checkpoint or model directory (for evaluate and predict).
   *
   * @throws IOException if it has none or it is unreadable
   */
  public static Normalizer load(LoadedCheckpoint checkpoint) throws IOException {
    return find(checkpoint)
        .orElseThrow(
            () ->
                new IOException(
                    checkpoint.uri()
                        + " has no "
                        + FILE_NAME
                        + " (files: "
                        + checkpoint.extraFileNames()
                        + ")"));
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalizer n
        && kind == n.kind
        && constantScale == n.constantScale
        && Arrays.equals(offset, n.offset)
        && Arrays.equals(scale, n.scale);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(offset) * 17 + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "Normalizer{"
        + kind.configName()
        + (offset == null ? ", scale " + constantScale : ", " + offset.length + " features")
        + (count > 0 ? ", fitted on " + count + " examples" : "")
        + "}";
  }
}
