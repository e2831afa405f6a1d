package sparktrain.bench;

import java.util.List;
import java.util.Map;

/**
 * The contents of {@code benchmark.json}: {@code {"machine": {...}, "baseline": "<name>",
 * "results": [...]}}. The shape stays stable so that runs can be compared over time.
 *
 * @param machine cores, memory, CPU, OS, Java, heap and off-heap limits, Spark master, versions
 * @param baseline name of the competitor the ratios refer to
 * @param results one per competitor that ran, baseline first
 */
public record BenchmarkReport(
    Map<String, Object> machine, String baseline, List<CompetitorResult> results) {

  /** Copies the results. */
  public BenchmarkReport {
    results = List.copyOf(results);
  }

  /** The result of the named competitor. */
  public CompetitorResult result(String name) {
    return results.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result named " + name));
  }
}
