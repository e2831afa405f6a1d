package sparktrain.config;

/**
 * Input files of one data split (Hadoop paths; empty when not given): {@code images} and {@code
 * labels} for IDX, {@code path} (a file, directory or glob) for the other formats.
 */
public record SplitPaths(String images, String labels, String path) {

  /** IDX files only (no {@code path}). */
  public SplitPaths(String images, String labels) {
    this(images, labels, "");
  }

  /** Whether the IDX pair is given. */
  public boolean hasIdx() {
    return !images.isBlank() && !labels.isBlank();
  }

  /** Whether {@code path} is given. */
  public boolean hasPath() {
    return !path.isBlank();
  }
}
