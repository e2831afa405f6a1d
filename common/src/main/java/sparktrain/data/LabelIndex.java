package sparktrain.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.io.Json;

/**
 * Class names of a label column and their indexes: the sorted distinct names, class {@code i} being
 * the {@code i}-th. Saved with every checkpoint and model as {@value #FILE_NAME} so that evaluation
 * and prediction map names to the same indexes as training.
 */
public final class LabelIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Name of the file in checkpoints and model directories. */
  public static final String FILE_NAME = "labels.json";

  private static final int FORMAT_VERSION = 1;

  private final String column;
  private final List<String> classes;
  private transient Map<String, Integer> indexes;

  private LabelIndex(String column, List<String> classes) {
    this.column = column;
    this.classes = List.copyOf(classes);
  }

  /** The index of the given class names: sorted, duplicates removed. */
  public static LabelIndex of(String column, Collection<String> names) {
    return new LabelIndex(column, new ArrayList<>(new TreeSet<>(names)));
  }

  /** The label column the names come from (for messages). */
  public String column() {
    return column;
  }

  /** The class names; class {@code i} is element {@code i}. */
  public List<String> classes() {
    return classes;
  }

  /** The number of classes. */
  public int size() {
    return classes.size();
  }

  /** The class index of {@code name}, or -1 when it is not a known class. */
  public int indexOf(String name) {
    if (indexes == null) {
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < classes.size(); i++) {
        m.put(classes.get(i), i);
      }
      indexes = m;
    }
    Integer i = indexes.get(name);
    return i == null ? -1 : i;
  }

  /** The class name of index {@code i}. */
  public String name(int i) {
    return classes.get(i);
  }

  /** {@value #FILE_NAME} content: format version, column and class names in index order. */
  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", FORMAT_VERSION);
    m.put("column", column);
    m.put("classes", classes);
    return Json.pretty(m);
  }

  /**
   * Reads {@link #toJson()} output.
   *
   * @throws IOException if it is not a label index of a known format version
   */
  public static LabelIndex fromJson(byte[] json) throws IOException {
    JsonNode root = Json.MAPPER.readTree(json);
    if (root == null || root.path("format_version").asInt() != FORMAT_VERSION) {
      throw new IOException(
          FILE_NAME + ": expected format_version " + FORMAT_VERSION + ", got " + root);
    }
    List<String> classes = new ArrayList<>();
    root.path("classes").forEach(n -> classes.add(n.asText()));
    return new LabelIndex(root.path("column").asText(), classes);
  }

  /**
   * The label index saved in a checkpoint or model directory, or empty if it has none (its labels
   * were numbers).
   *
   * @throws IOException if the file is there but unreadable
   */
  public static Optional<LabelIndex> find(LoadedCheckpoint checkpoint) throws IOException {
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
   * A model's outputs are the classes it was trained on: data fed to it (to continue training or to
   * evaluate it on the same held-out rows) must name its classes the same way.
   *
   * @param model the model's saved class names ({@code labels.json}), if any
   * @param data the data's class names, if any
   * @param modelName how the message names the model, e.g. "checkpoint file:/.../epoch-0003"
   * @param why what depends on it, the message's last clause
   * @throws DataException naming both class lists when they differ
   */
  public static void requireSame(
      Optional<LabelIndex> model, Optional<LabelIndex> data, String modelName, String why) {
    if (!model.equals(data)) {
      throw new DataException(
          "the data's class names "
              + data.map(LabelIndex::classes).map(Object::toString).orElse("(none)")
              + " differ from those of "
              + modelName
              + " ("
              + FILE_NAME
              + ": "
              + model.map(LabelIndex::classes).map(Object::toString).orElse("(none)")
              + ")"
              + (why.isEmpty() ? "" : ": " + why));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelIndex other
        && column.equals(other.column)
        && classes.equals(other.classes);
  }

  @Override
  public int hashCode() {
    return 31 * column.hashCode() + classes.hashCode();
  }

  @Override
  public String toString() {
    return "LabelIndex{" + column + ": " + classes + "}";
  }
}
