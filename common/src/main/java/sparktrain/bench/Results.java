package sparktrain.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns what competitors measured into results with ratios against the baseline. */
final class Results {
  private Results() {}

  /** What one competitor produced, before it is compared with the baseline. */
  record Measured(
      Competitor competitor,
      CompetitorRun run,
      long peakHeapBytes,
      long peakOffHeapBytes,
      long peakRssBytes,
      long peakJavacppBytes,
      Map<String, Object> profile) {}

  /** Steady epoch seconds: the median of epochs 2..n, or epoch 1's when there is one epoch. */
  static double steadyEpochSeconds(List<Double> epochSeconds) {
    return median(
        epochSeconds.size() > 1 ? epochSeconds.subList(1, epochSeconds.size()) : epochSeconds);
  }

  /**
   * Cumulative epoch seconds until the first epoch at or above {@code target}, or null if none
   * reached it.
   */
  static Double secondsToTarget(List<Double> epochSeconds, List<Double> accuracy, double target) {
    double t = 0;
    for (int i = 0; i < epochSeconds.size(); i++) {
      t += epochSeconds.get(i);
      if (accuracy.get(i) >= target) {
        return Format.round4(t);
      }
    }
    return null;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Results of every measured competitor; {@code all.get(0)} is the baseline. */
  static List<CompetitorResult> compare(List<Measured> all, BenchmarkPlan plan) {
    Measured base = all.get(0);
    double baseSteady = steadyEpochSeconds(seconds(base.run()));
    Double baseTarget =
        secondsToTarget(seconds(base.run()), accuracies(base.run()), plan.targetAccuracy());
    List<CompetitorResult> out = new ArrayList<>();
    for (Measured m : all) {
      out.add(result(m, plan, baseSteady, baseTarget));
    }
    return out;
  }

  private static CompetitorResult result(
      Measured m, BenchmarkPlan plan, double baseSteady, Double baseTarget) {
    CompetitorRun run = m.run();
    List<Double> seconds = seconds(run);
    List<Double> acc = accuracies(run);
    double steady = steadyEpochSeconds(seconds);
    Double toTarget = secondsToTarget(seconds, acc, plan.targetAccuracy());
    List<Double> rates = new ArrayList<>();
    List<Double> fit = new ArrayList<>();
    for (CompetitorRun.EpochRecord e : run.epochs()) {
      rates.add(e.examplesProcessed() / e.fitSeconds());
      fit.add(Format.round4(e.fitSeconds()));
    }
    double steadyRate = median(rates.size() > 1 ? rates.subList(1, rates.size()) : rates);

    Map<String, Object> b = new LinkedHashMap<>();
    b.put("description", m.competitor().description());
    b.put("first_epoch_seconds", seconds.get(0));
    b.put("steady_epoch_seconds", Format.round4(steady));
    b.put("examples_per_second", Math.round(steadyRate));
    b.put("fit_seconds", fit);
    b.put(
        "seconds_to_target_ratio_to_baseline",
        toTarget == null || baseTarget == null ? null : Format.round4(toTarget / baseTarget));
    b.put("target_accuracy", plan.targetAccuracy());
    b.put("setup_seconds", Format.round4(run.setupSeconds()));
    b.put("train_examples", run.trainExamples());
    b.put("peak_heap_bytes", m.peakHeapBytes());
    b.put("peak_offheap_bytes", m.peakOffHeapBytes());
    b.put("peak_rss_bytes", m.peakRssBytes());
    b.put("peak_javacpp_tracked_bytes", m.peakJavacppBytes());
    b.put(
        "memory_note",
        "peak_offheap_bytes = peak of resident size minus committed heap (ND4J arrays, JVM native"
            + " memory, direct buffers); in local mode executors share this JVM");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("mode", plan.mode());
    settings.put("epochs", plan.epochs());
    settings.putAll(run.settings());
    b.put("settings", settings);
    b.putAll(run.details());
    b.putAll(m.profile());
    double ratio = steady / baseSteady;
    return new CompetitorResult(
        m.competitor().name(), seconds, acc, toTarget, Format.round4(ratio), b);
  }

  private static List<Double> seconds(CompetitorRun run) {
    return run.epochs().stream().map(e -> Format.round4(e.seconds())).toList();
  }

  private static List<Double> accuracies(CompetitorRun run) {
    return run.epochs().stream().map(e -> Format.round4(e.testAccuracy())).toList();
  }
}
