package sparktrain.retrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import sparktrain.config.ConfigException;
import sparktrain.config.RetrainConfig;
import sparktrain.config.RetrainMetric;
import sparktrain.provenance.RetrainDecision;

/**
 * Decides whether a challenger replaces the champion, from both models' metrics on the same test
 * data: the {@code retrain.metric} must improve by at least {@code retrain.min-improvement} (and
 * strictly), no guard-rail metric may regress by more than its limit, and the challenger may not
 * have more non-finite outputs than the champion.
 */
public final class PromotionPolicy {
  /** Metric key of the count of examples whose outputs were NaN or infinite. */
  static final String NON_FINITE = "non_finite_outputs";

  private PromotionPolicy() {}

  /**
   * The verdict.
   *
   * @param promote whether the challenger becomes champion
   * @param reason one sentence with the numbers behind the verdict
   * @param improvement the metric's improvement (positive = better), NaN if undefined
   * @param violations the guard rails broken, empty if none
   */
  public record Verdict(
      boolean promote, String reason, double improvement, List<String> violations) {

    /** {@code promoted} or {@code kept-champion}. */
    public RetrainDecision decision() {
      return promote ? RetrainDecision.PROMOTED : RetrainDecision.KEPT_CHAMPION;
    }
  }

  /**
   * Checks that the evaluation computes the decision metric and every guard-rail metric.
   *
   * @param metrics a model's flat test metrics
   * @throws ConfigException naming the missing metric and those available
   */
  public static void requireAvailable(RetrainConfig retrain, Map<String, Double> metrics) {
    List<String> problems = new ArrayList<>();
    if (!metrics.containsKey(retrain.metric().summaryKey())) {
      problems.add(
          "retrain.metric: '"
              + retrain.metric().configName()
              + "' is not computed for this model; available: "
              + available(metrics));
    }
    for (RetrainMetric m : retrain.guardRails().keySet()) {
      if (!metrics.containsKey(m.summaryKey())) {
        problems.add(
            "retrain.guard-rails."
                + m.configName()
                + ": not computed for this model; available: "
                + available(metrics));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static String available(Map<String, Double> metrics) {
    TreeSet<String> names = new TreeSet<>();
    for (RetrainMetric m : RetrainMetric.values()) {
      if (metrics.containsKey(m.summaryKey())) {
        names.add(m.configName());
      }
    }
    return String.join(", ", names);
  }

  /** The verdict for {@code challenger} against {@code champion} (flat test metrics of each). */
  public static Verdict decide(
      RetrainConfig retrain, Map<String, Double> champion, Map<String, Double> challenger) {
    RetrainMetric metric = retrain.metric();
    double before = value(champion, metric);
    double after = value(challenger, metric);
    double improvement = metric.improvement(before, after);
    String change =
        String.format(
            Locale.ROOT,
            "%s %s -> %s (%s)",
            metric.configName(),
            fmt(before),
            fmt(after),
            Double.isNaN(improvement)
                ? "improvement undefined"
                : "improvement " + signed(improvement));

    List<String> violations = new ArrayList<>();
    for (Map.Entry<RetrainMetric, Double> rail : retrain.guardRails().entrySet()) {
      RetrainMetric m = rail.getKey();
      double c = value(champion, m);
      double x = value(challenger, m);
      double regression = -m.improvement(c, x);
      if (Double.isNaN(x) && !Double.isNaN(c)) {
        violations.add(String.format(Locale.ROOT, "%s %s -> NaN", m.configName(), fmt(c)));
      } else if (regression > rail.getValue()) {
        violations.add(
            String.format(
                Locale.ROOT,
                "%s %s -> %s regressed by %s > allowed %s",
                m.configName(),
                fmt(c),
                fmt(x),
                fmt(regression),
                fmt(rail.getValue())));
      }
    }
    double nonFiniteBefore = champion.getOrDefault(NON_FINITE, 0.0);
    double nonFiniteAfter = challenger.getOrDefault(NON_FINITE, 0.0);
    if (nonFiniteAfter > nonFiniteBefore) {
      violations.add(
          String.format(
              Locale.ROOT,
              "%.0f test examples with NaN or infinite outputs (champion: %.0f)",
              nonFiniteAfter,
              nonFiniteBefore));
    }

    if (Double.isNaN(after)) {
      return new Verdict(
          false, change + ": the challenger's value is undefined", improvement, violations);
    }
    boolean better =
        Double.isNaN(before)
            || (improvement > 0 && improvement >= retrain.minImprovement() - 1e-12);
    if (!better) {
      return new Verdict(
          false,
          String.format(
              Locale.ROOT,
              "%s: not better by at least min-improvement %s",
              change,
              fmt(retrain.minImprovement())),
          improvement,
          violations);
    }
    if (!violations.isEmpty()) {
      return new Verdict(
          false,
          change + ", but guard rails broken: " + String.join("; ", violations),
          improvement,
          violations);
    }
    String rails =
        retrain.guardRails().isEmpty() ? "" : "; guard rails held (" + railNames(retrain) + ")";
    return new Verdict(
        true,
        String.format(
            Locale.ROOT,
            "%s: at least min-improvement %s%s",
            change,
            fmt(retrain.minImprovement()),
            rails),
        improvement,
        violations);
  }

  private static String railNames(RetrainConfig retrain) {
    List<String> names = new ArrayList<>();
    retrain.guardRails().forEach((m, limit) -> names.add(m.configName() + " <= " + fmt(limit)));
    return String.join(", ", names);
  }

  private static double value(Map<String, Double> metrics, RetrainMetric m) {
    Double v = metrics.get(m.summaryKey());
    return v == null ? Double.NaN : v;
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }

  private static String signed(double d) {
    return String.format(Locale.ROOT, "%+.4f", d);
  }
}
