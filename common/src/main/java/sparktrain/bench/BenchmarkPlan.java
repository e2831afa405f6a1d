package sparktrain.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;

/**
 * What one benchmark invocation runs: the workload (a job config plus overrides), the epochs, the
 * target accuracy, and the competitors, the first of which is the baseline.
 *
 * @param mode "quick", "full" or a name of the caller's choosing; recorded in the results
 * @param configFile job config file (HOCON) of the workload, or null for the reference defaults
 * @param sets {@code key=value} overrides applied to every competitor's config (data paths, limits)
 * @param epochs epochs every competitor trains (&gt;= 1); overrides {@code training.epochs}
 * @param targetAccuracy test accuracy for "seconds to target", in (0, 1]
 * @param profileEpochs epochs of the separate, untimed profiling pass of competitors that have one
 *     (DL4J training stats); 0 for none
 * @param outputDir local directory for {@code benchmark.json}, the chart and the competitors' runs
 * @param competitors at least one; the first is the baseline the ratios refer to
 */
public record BenchmarkPlan(
    String mode,
    String configFile,
    List<String> sets,
    int epochs,
    double targetAccuracy,
    int profileEpochs,
    Path outputDir,
    List<Competitor> competitors) {

  /** Default target test accuracy. */
  public static final double DEFAULT_TARGET = 0.97;

  /** Validates and copies the lists. */
  public BenchmarkPlan {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
      throw new IllegalArgumentException(
          "target accuracy must be in (0, 1], got " + targetAccuracy);
    }
    if (profileEpochs < 0) {
      throw new IllegalArgumentException("profile epochs must be >= 0, got " + profileEpochs);
    }
    if (competitors.isEmpty()) {
      throw new IllegalArgumentException("a benchmark needs at least one competitor");
    }
    Set<String> names = new HashSet<>();
    for (Competitor c : competitors) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("competitor name used twice: " + c.name());
      }
    }
    sets = List.copyOf(sets);
    competitors = List.copyOf(competitors);
    outputDir = outputDir.toAbsolutePath();
  }

  /** The baseline: the first competitor. */
  public Competitor baseline() {
    return competitors.get(0);
  }

  /**
   * The job config of the workload with the plan's overrides, {@code training.epochs} set to the
   * plan's epochs, then {@code extra} (later wins).
   */
  public JobConfig config(List<String> extra) {
    List<String> all = new ArrayList<>(sets);
    all.add("training.epochs=" + epochs);
    all.addAll(extra);
    return ConfigLoader.load(configFile, all);
  }

  /**
   * This plan with only the baseline and the named competitors, run in the order named.
   *
   * @throws IllegalArgumentException naming any unknown name and the known ones
   */
  public BenchmarkPlan only(Collection<String> names) {
    if (names.isEmpty()) {
      return this;
    }
    List<String> known = competitors.stream().map(Competitor::name).toList();
    List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown competitor(s) " + unknown + " in " + mode + " mode; known: " + known);
    }
    // the baseline first, then the named ones in the order given: a competitor that runs later in
    // the same JVM finds the JIT warmer, so swapping the order shows how much that is worth
    List<Competitor> kept = new ArrayList<>();
    kept.add(baseline());
    for (String name : new java.util.LinkedHashSet<>(names)) {
      for (Competitor c : competitors) {
        if (c != baseline() && c.name().equals(name)) {
          kept.add(c);
        }
      }
    }
    return new BenchmarkPlan(
        mode, configFile, sets, epochs, targetAccuracy, profileEpochs, outputDir, kept);
  }
}
