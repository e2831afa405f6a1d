package sparktrain.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.provenance.RetrainDecision;

/**
 * The page a person reads after a retrain: {@code <output>/report/index.html}, built from the
 * retrain's {@code summary.json} alone: the decision and its reason, champion and challenger
 * metrics side by side on the same held-out data (table and bar chart), guard-rail violations, the
 * new data's identity, and a link to the challenger's training report.
 */
public final class RetrainReport {
  /** Metrics left out of the bar chart: counts and unbounded scales. */
  private static final Set<String> NOT_CHARTED =
      Set.of("examples", "non_finite_outputs", "mse", "rmse", "mae", "loss", "log_loss");

  private RetrainReport() {}

  /**
   * Writes {@code <outputDir>/report/index.html} (and its chart) from {@code
   * <outputDir>/summary.json}.
   *
   * @return the URI of index.html
   * @throws IOException if summary.json cannot be read or the report cannot be written
   */
  public static String write(FileSystem fs, Path outputDir) throws IOException {
    JsonNode s = Json.MAPPER.readTree(HadoopFiles.readAll(fs, new Path(outputDir, "summary.json")));
    Path report = new Path(outputDir, "report");
    fs.mkdirs(report);
    String decision = s.path("decision").asText();
    StringBuilder html = new StringBuilder(Html.page("Retrain: " + decision));
    boolean good = decision.equals("promoted") || decision.equals("no-new-data");
    html.append("<p>Decision: <span class=\"")
        .append(decision.equals(RetrainDecision.FAILED.value()) ? "bad" : good ? "ok" : "")
        .append("\">")
        .append(Html.escape(decision))
        .append("</span> — ")
        .append(Html.escape(s.path("reason").asText()))
        .append("</p>\n");
    if (!s.path("error").isNull() && s.has("error")) {
      html.append("<p class=\"bad\">Error: ")
          .append(Html.escape(s.path("error").asText()))
          .append("</p>\n");
    }
    html.append("<table>");
    row(html, "Registry", s.path("registry").asText());
    row(html, "Champion before", text(s.path("champion_version")));
    row(html, "Challenger", text(s.path("challenger_version")));
    row(html, "Champion after", text(s.path("champion_after")));
    row(
        html,
        "Metric",
        s.path("metric").asText()
            + String.format(
                Locale.ROOT,
                " (improvement %+.4f, at least %.4f needed)",
                s.path("improvement").asDouble(Double.NaN),
                s.path("min_improvement").asDouble(Double.NaN)));
    row(html, "Normalizer", s.path("normalizer").asText());
    row(
        html,
        "Data",
        s.path("train_examples").asLong()
            + " training examples (new data and replay), "
            + s.path("test_examples").asLong()
            + " held-out examples scored for both models");
    row(html, "New data", s.path("new_data").path("key").asText(""));
    html.append("</table>\n");

    JsonNode champion = s.path("champion_metrics");
    JsonNode challenger = s.path("challenger_metrics");
    if (champion.size() > 0 || challenger.size() > 0) {
      html.append("<h2>Champion and challenger on the same held-out data</h2>\n")
          .append("<table><tr><th class=\"l\">metric</th><th>champion</th>")
          .append("<th>challenger</th><th>change</th></tr>\n");
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = champion.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      for (Iterator<String> it = challenger.fieldNames(); it.hasNext(); ) {
        String n = it.next();
        if (!names.contains(n)) {
          names.add(n);
        }
      }
      List<String> charted = new ArrayList<>();
      List<Double> before = new ArrayList<>();
      List<Double> after = new ArrayList<>();
      for (String n : names) {
        double a = champion.path(n).asDouble(Double.NaN);
        double b = challenger.path(n).asDouble(Double.NaN);
        html.append("<tr><td class=\"l\">")
            .append(Html.escape(n))
            .append("</td><td>")
            .append(fmt(a))
            .append("</td><td>")
            .append(fmt(b))
            .append("</td><td>")
            .append(Double.isNaN(a) || Double.isNaN(b) ? "" : fmtSigned(b - a))
            .append("</td></tr>\n");
        if (!NOT_CHARTED.contains(n) && Double.isFinite(a) && Double.isFinite(b)) {
          charted.add(n);
          before.add(a);
          after.add(b);
        }
      }
      html.append("</table>\n");
      if (!charted.isEmpty()) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("champion " + text(s.path("champion_version")), before);
        series.put("challenger " + text(s.path("challenger_version")), after);
        HadoopFiles.writeAtomically(
            fs,
            new Path(report, "comparison.png"),
            Charts.bars("Champion vs challenger", "value", charted, series));
        html.append("<img src=\"comparison.png\" alt=\"Champion vs challenger\">\n");
      }
    }
    JsonNode violations = s.path("guard_rail_violations");
    html.append("<h2>Guard rails</h2>\n<p>")
        .append(violations.size() == 0 ? "No guard rail violated." : "Violated:")
        .append("</p>\n");
    if (violations.size() > 0) {
      html.append("<ul>");
      for (JsonNode v : violations) {
        html.append("<li>").append(Html.escape(v.isTextual() ? v.asText() : v.toString()));
      }
      html.append("</ul>\n");
    }
    String trainRun = s.path("train_run_dir").asText("");
    if (!trainRun.isEmpty()) {
      String out = s.path("output_dir").asText("");
      String href =
          trainRun.startsWith(out + "/")
              ? "../" + trainRun.substring(out.length() + 1) + "/report/index.html"
              : trainRun + "/report/index.html";
      html.append("<p>The challenger's training run: <a href=\"")
          .append(Html.escape(href))
          .append("\">")
          .append("training report</a> (<code>")
          .append(Html.escape(trainRun))
          .append("</code>).</p>\n");
    }
    html.append("<h2>summary.json</h2>\n<pre>")
        .append(Html.escape(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s)))
        .append("</pre>\n</body></html>\n");
    Path index = new Path(report, "index.html");
    HadoopFiles.writeAtomically(fs, index, html.toString().getBytes(StandardCharsets.UTF_8));
    return index.toString();
  }

  private static void row(StringBuilder html, String name, String value) {
    html.append("<tr><th class=\"l\">")
        .append(Html.escape(name))
        .append("</th><td class=\"l\">")
        .append(Html.escape(value))
        .append("</td></tr>\n");
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? "none" : n.asText();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String fmtSigned(double v) {
    return String.format(Locale.ROOT, "%+.4f", v);
  }
}
