package sparktrain.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two ways to run the benchmark: {@code quick} (a few minutes, for regular use) and {@code
 * full} (the numbers the README publishes).
 */
public enum BenchmarkMode {
  /** 2 epochs on the first 10,000 training examples, the shipped defaults and one tuned variant. */
  QUICK(2, 10_000, 10),
  /** 5 epochs on all the data, every variant of {@link Competitors#sparkVariants}. */
  FULL(5, 0, 40);

  private final int epochs;
  private final int trainLimit;
  private final int mlpcIterationsPerEpoch;

  BenchmarkMode(int epochs, int trainLimit, int mlpcIterationsPerEpoch) {
    this.epochs = epochs;
    this.trainLimit = trainLimit;
    this.mlpcIterationsPerEpoch = mlpcIterationsPerEpoch;
  }

  /** Default epochs of this mode. */
  public int epochs() {
    return epochs;
  }

  /**
   * The plan of this mode.
   *
   * @param configFile the workload's job config (e.g. {@code conf/mnist-mlp.conf})
   * @param sets user overrides (applied after the mode's own, so they win)
   * @param epochs epochs, or 0 for the mode's default
   * @param target target test accuracy
   * @param outputDir where the results go
   */
  public BenchmarkPlan plan(
      String configFile, List<String> sets, int epochs, double target, Path outputDir) {
    List<String> all = new ArrayList<>();
    if (trainLimit > 0) {
      all.add("data.train-limit=" + trainLimit);
    }
    all.addAll(sets);
    int e = epochs > 0 ? epochs : this.epochs;
    return new BenchmarkPlan(
        name().toLowerCase(java.util.Locale.ROOT),
        configFile,
        all,
        e,
        target,
        Math.min(2, e),
        outputDir,
        Competitors.forMode(this, mlpcIterationsPerEpoch));
  }
}
