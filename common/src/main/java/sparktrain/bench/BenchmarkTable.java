package sparktrain.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's results as a plain-text table (also valid Markdown). */
public final class BenchmarkTable {
  private BenchmarkTable() {}

  /**
   * Renders one row per competitor: epoch 1 and steady epoch seconds, examples per second, test
   * accuracy after each epoch, seconds to the target, peak heap and off-heap MiB, and the ratios of
   * steady epoch time and of seconds-to-target against the baseline; then the skipped competitors.
   *
   * @param skipped competitor name to the reason it did not run
   */
  public static String render(BenchmarkReport report, double target, Map<String, String> skipped) {
    List<String> header =
        List.of(
            "competitor",
            "epoch 1 s",
            "steady s",
            "examples/s",
            "test accuracy per epoch",
            String.format(Locale.ROOT, "s to %.3f", target).replaceAll("0+$", ""),
            "peak heap MiB",
            "peak off-heap MiB",
            "peak RSS MiB",
            "x steady",
            "x to target");
    List<List<String>> rows = new ArrayList<>();
    for (CompetitorResult r : report.results()) {
      rows.add(
          List.of(
              r.name(),
              Format.seconds(r.epochSeconds().get(0)),
              Format.seconds(r.breakdownNumber("steady_epoch_seconds")),
              Format.count(r.breakdownNumber("examples_per_second")),
              r.testAccuracy().stream().map(Format::accuracy).collect(Collectors.joining(" ")),
              r.secondsToTarget() == null ? "not reached" : Format.seconds(r.secondsToTarget()),
              Format.mib(r.breakdownNumber("peak_heap_bytes").longValue()),
              Format.mib(r.breakdownNumber("peak_offheap_bytes").longValue()),
              Format.mib(r.breakdownNumber("peak_rss_bytes").longValue()),
              Format.ratio(r.ratioToBaseline()),
              Format.ratio(r.breakdownNumber("seconds_to_target_ratio_to_baseline"))));
    }
    int[] width = new int[header.size()];
    for (int c = 0; c < header.size(); c++) {
      width[c] = header.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(sb, rule, width);
    for (List<String> row : rows) {
      line(sb, row, width);
    }
    sb.append('\n')
        .append("baseline: ")
        .append(report.baseline())
        .append("; x = competitor / baseline (below 1 is faster); steady = median of epochs 2..n;")
        .append(
            " epoch = training + test evaluation (+ checkpoint for sparktrain); setup excluded;")
        .append(" off-heap = resident size - committed heap.")
        .append('\n');
    for (CompetitorResult r : report.results()) {
      sb.append("  ").append(r.name()).append(": ").append(r.breakdown().get("description"));
      sb.append('\n');
    }
    StringBuilder splits = new StringBuilder();
    for (CompetitorResult r : report.results()) {
      if (r.breakdown().get("epoch_split") instanceof List<?> split) {
        splits.append(EpochSplit.render(r.name(), split));
      }
    }
    if (splits.length() > 0) {
      sb.append("per-epoch split, seconds (").append(EpochSplit.NOTE).append("):\n").append(splits);
    }
    skipped.forEach(
        (name, why) -> sb.append("skipped ").append(name).append(": ").append(why).append('\n'));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    sb.append('|');
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      boolean left = c == 0 || c == 4;
      String pad = " ".repeat(width[c] - cell.length());
      sb.append(' ').append(left ? cell + pad : pad + cell).append(" |");
    }
    sb.append('\n');
  }
}
