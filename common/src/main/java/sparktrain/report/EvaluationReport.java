package sparktrain.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;

/**
 * The report of an evaluation, {@code <output>/report/index.html} plus PNG charts, built from
 * {@code <output>/metrics.json} alone: headline metrics, non-finite outputs, and by kind a
 * confusion-matrix heat map and per-class table (classification), ROC and precision-recall curves
 * and a threshold table (binary), residual plots and histograms and a per-column table
 * (regression); then the model, data and run provenance. Self-contained: no network needed.
 */
public final class EvaluationReport {
  /** Name of the metrics file the report is built from. */
  public static final String METRICS_FILE = "metrics.json";

  /** Output columns of a regression model that get charts (all get a table row). */
  static final int MAX_CHARTED_COLUMNS = 4;

  private static final Set<String> COUNTS = Set.of("examples", "non_finite_outputs");

  private final FileSystem fs;
  private final Path report;
  private final StringBuilder html = new StringBuilder();

  private EvaluationReport(FileSystem fs, Path report) {
    this.fs = fs;
    this.report = report;
  }

  /** Writes {@code report/} into {@code outputDir} from its metrics.json; returns the index URI. */
  public static String write(FileSystem fs, Path outputDir) throws IOException {
    JsonNode m = Json.MAPPER.readTree(HadoopFiles.readAll(fs, new Path(outputDir, METRICS_FILE)));
    Path report = new Path(outputDir, "report");
    fs.mkdirs(report);
    EvaluationReport r = new EvaluationReport(fs, report);
    r.build(m);
    Path index = new Path(report, "index.html");
    HadoopFiles.writeAtomically(fs, index, r.html.toString().getBytes(StandardCharsets.UTF_8));
    return index.toString();
  }

  private void build(JsonNode m) throws IOException {
    String kind = m.path("kind").asText();
    html.append(Html.page("Evaluation: " + m.path("workload").asText("model")));
    overview(m);
    metricsTable(m.path("summary"));
    switch (kind) {
      case "multiclass" -> multiclass(m);
      case "binary" -> binary(m);
      case "regression" -> regression(m);
      default ->
          html.append("<p class=\"bad\">Unknown kind of metrics: ")
              .append(Html.escape(kind))
              .append("</p>\n");
    }
    html.append("<h2>Provenance</h2>\n");
    for (String key : List.of("model", "data", "run", "versions")) {
      if (m.has(key)) {
        html.append("<h3>")
            .append(key)
            .append("</h3>\n<pre>")
            .append(Html.escape(pretty(m.get(key))))
            .append("</pre>\n");
      }
    }
    html.append("</body></html>\n");
  }

  private void overview(JsonNode m) {
    JsonNode model = m.path("model");
    JsonNode data = m.path("data");
    JsonNode run = m.path("run");
    JsonNode summary = m.path("summary");
    long examples = summary.path("examples").asLong();
    long nonFinite = summary.path("non_finite_outputs").asLong();
    html.append("<table>\n");
    row("Model", model.path("path").asText() + " → " + model.path("resolved").asText());
    row("Kind of model", m.path("kind").asText());
    row(
        "Data",
        data.path("split").asText()
            + " split, "
            + examples
            + " examples in "
            + data.path("partitions").asInt()
            + " partitions, normalization "
            + data.path("normalization").asText());
    html.append("<tr><th class=\"l\">Non-finite outputs</th><td class=\"l\"><span class=\"")
        .append(nonFinite == 0 ? "ok" : "bad")
        .append("\">")
        .append(nonFinite)
        .append(nonFinite == 0 ? " (none)" : " NaN or infinite outputs: not scored, see below")
        .append("</span></td></tr>\n");
    if (run.has("seconds")) {
      row(
          "Run",
          String.format(
                  Locale.ROOT,
                  "%.1f s, %.0f examples/s, master %s",
                  run.path("seconds").asDouble(),
                  run.path("rows_per_second").asDouble(),
                  run.path("spark_master").asText())
              + (run.has("process_cpu_seconds")
                  ? String.format(
                      Locale.ROOT,
                      "; %.1f CPU seconds in the driver JVM",
                      number(run.path("process_cpu_seconds")))
                  : ""));
    }
    html.append("</table>\n");
    if (nonFinite > 0) {
      html.append("<p class=\"bad\">")
          .append(nonFinite)
          .append(" of ")
          .append(examples)
          .append(
              " examples had a NaN or infinite network output. They are counted here and left"
                  + " out of every metric below")
          .append(nonFinite == examples ? " (so every metric is NaN)" : "")
          .append(".</p>\n");
    }
  }

  private void row(String name, String value) {
    html.append("<tr><th class=\"l\">")
        .append(Html.escape(name))
        .append("</th><td class=\"l\">")
        .append(Html.escape(value))
        .append("</td></tr>\n");
  }

  private void metricsTable(JsonNode summary) {
    html.append("<h2>Metrics</h2>\n<table><tr><th class=\"l\">metric</th><th>value</th></tr>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String v =
          COUNTS.contains(e.getKey())
              ? Long.toString(e.getValue().asLong())
              : fmt(number(e.getValue()));
      html.append("<tr><td class=\"l\">")
          .append(Html.escape(e.getKey()))
          .append("</td><td>")
          .append(v)
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private void multiclass(JsonNode m) throws IOException {
    confusion(m.path("confusion_matrix"));
    perClass(m.path("per_class"));
  }

  private void binary(JsonNode m) throws IOException {
    JsonNode s = m.path("summary");
    confusion(m.path("confusion_matrix"));
    JsonNode roc = m.path("roc_curve");
    int n = roc.size();
    double[] fpr = new double[n];
    double[] tpr = new double[n];
    double[] precision = new double[n];
    for (int i = 0; i < n; i++) {
      fpr[i] = number(roc.get(i).path("fpr"));
      tpr[i] = number(roc.get(i).path("tpr"));
      precision[i] = number(roc.get(i).path("precision"));
    }
    long positives = m.path("positives").asLong();
    long all = positives + m.path("negatives").asLong();
    String method =
        "exact".equals(m.path("auc_method").asText())
            ? "exact"
            : "histogram of "
                + m.path("histogram_bins").asInt()
                + " bins, AUC within ±"
                + fmt(number(m.path("auc_max_error")));
    image(
        "roc.png",
        "ROC curve",
        Charts.roc("ROC curve, AUC " + fmt(number(s.path("auc"))), fpr, tpr));
    image(
        "pr.png",
        "Precision-recall curve",
        Charts.precisionRecall(
            "Precision-recall curve, area " + fmt(number(s.path("pr_auc"))),
            tpr,
            precision,
            all == 0 ? 0 : (double) positives / all));
    html.append("<p>Areas: ").append(Html.escape(method)).append(".</p>\n");
    html.append("<h2>Thresholds</h2>\n<p>Positive when p(class 1) ≥ threshold.</p>\n<table><tr>");
    for (String h : List.of("threshold", "tp", "fp", "tn", "fn", "tpr", "fpr", "precision")) {
      html.append("<th>").append(h).append("</th>");
    }
    html.append("</tr>\n");
    for (JsonNode r : m.path("threshold_curve")) {
      double t = r.path("threshold").asDouble();
      if (Math.abs(t * 10 - Math.rint(t * 10)) > 1e-9 || t == 0) {
        continue; // 0.1, 0.2, ..., 0.9
      }
      html.append("<tr><td>").append(String.format(Locale.ROOT, "%.1f", t)).append("</td>");
      for (String k : List.of("tp", "fp", "tn", "fn")) {
        html.append("<td>").append(r.path(k).asLong()).append("</td>");
      }
      for (String k : List.of("tpr", "fpr", "precision")) {
        html.append("<td>").append(fmt(number(r.path(k)))).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
    perClass(m.path("per_class"));
  }

  private void regression(JsonNode m) throws IOException {
    JsonNode columns = m.path("columns");
    JsonNode sample = m.path("residual_sample");
    html.append("<h2>Columns</h2>\n<table><tr>");
    List<String> keys = List.of("column", "n", "mean_target", "mse", "rmse", "mae", "r2");
    for (String k : keys) {
      html.append("<th>").append(k).append("</th>");
    }
    html.append("<th>mean residual</th></tr>\n");
    for (JsonNode c : columns) {
      html.append("<tr><td>")
          .append(c.path("column").asInt())
          .append("</td><td>")
          .append(c.path("n").asLong())
          .append("</td>");
      for (String k : keys.subList(2, keys.size())) {
        html.append("<td>").append(fmt(number(c.path(k)))).append("</td>");
      }
      html.append("<td>").append(fmt(number(c.path("mean_residual")))).append("</td></tr>\n");
    }
    html.append(
        "</table>\n<p>Residual = target − prediction (positive: the model predicts too"
            + " low).</p>\n");
    for (int c = 0; c < Math.min(columns.size(), MAX_CHARTED_COLUMNS); c++) {
      String suffix = columns.size() == 1 ? "" : " (column " + c + ")";
      JsonNode col = sample.path("columns").path(c);
      double[] target = doubles(col.path("target"));
      double[] prediction = doubles(col.path("prediction"));
      double[] residual = new double[target.length];
      for (int i = 0; i < target.length; i++) {
        residual[i] = target[i] - prediction[i];
      }
      image(
          "residuals-" + c + ".png",
          "Residuals against predictions" + suffix,
          Charts.scatter(
              "Residual vs prediction" + suffix + ", sample of " + target.length + " rows",
              "prediction",
              "residual (target - prediction)",
              prediction,
              residual,
              0.0));
      JsonNode h = columns.get(c).path("residual_histogram");
      JsonNode counts = h.path("counts");
      long[] bins = new long[counts.size()];
      for (int i = 0; i < bins.length; i++) {
        bins[i] = counts.get(i).asLong();
      }
      image(
          "residual-histogram-" + c + ".png",
          "Residual histogram" + suffix,
          Charts.histogram(
              "Residuals" + suffix + ", all " + h.path("total").asLong() + " rows",
              "residual (target - prediction)",
              h.path("lower_edge").asDouble(),
              h.path("bin_width").asDouble(),
              bins));
    }
  }

  private void confusion(JsonNode matrix) throws IOException {
    int n = matrix.size();
    if (n == 0) {
      return;
    }
    long[][] c = new long[n][n];
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add(Integer.toString(i));
      for (int j = 0; j < n; j++) {
        c[i][j] = matrix.get(i).get(j).asLong();
      }
    }
    image(
        "confusion.png",
        "Confusion matrix",
        Charts.confusion("Confusion matrix (rows: actual, columns: predicted)", c, labels));
  }

  private void perClass(JsonNode rows) {
    html.append("<h2>Per class</h2>\n<table><tr>");
    List<String> keys = List.of("class", "support", "predicted", "precision", "recall", "f1");
    for (String k : keys) {
      html.append("<th>").append(k).append("</th>");
    }
    html.append("</tr>\n");
    for (JsonNode r : rows) {
      html.append("<tr>");
      for (String k : keys) {
        JsonNode v = r.path(k);
        html.append("<td>")
            .append(v.isIntegralNumber() ? Long.toString(v.asLong()) : fmt(number(v)))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private void image(String name, String title, byte[] png) throws IOException {
    HadoopFiles.writeAtomically(fs, new Path(report, name), png);
    html.append("<h2>")
        .append(Html.escape(title))
        .append("</h2>\n<img src=\"")
        .append(Html.escape(name))
        .append("\" alt=\"")
        .append(Html.escape(title))
        .append("\">\n");
  }

  /** A JSON number, or NaN / ±Infinity written as strings, or NaN for anything else. */
  static double number(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.asText());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(array.get(i));
    }
    return out;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String pretty(JsonNode n) throws IOException {
    return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }
}
