package sparktrain.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;

/**
 * The report of a training run, {@code <run>/report/index.html} plus PNG charts: loss and metric
 * curves per epoch, seconds per epoch, final metrics, config and provenance. Built from the run
 * directory's own files ({@code summary.json}, {@code metrics.jsonl}, {@code config.conf}), so a
 * resumed run's report covers its whole history.
 */
public final class TrainReport {
  private TrainReport() {}

  /** Writes {@code report/} into the run directory {@code runDir} and returns its index URI. */
  public static String write(FileSystem fs, Path runDir) throws IOException {
    JsonNode summary =
        Json.MAPPER.readTree(HadoopFiles.readAll(fs, new Path(runDir, "summary.json")));
    List<JsonNode> epochs = new ArrayList<>();
    Path metrics = new Path(runDir, "metrics.jsonl");
    if (fs.exists(metrics)) {
      for (String line : new String(HadoopFiles.readAll(fs, metrics), "UTF-8").split("\n")) {
        if (!line.isBlank()) {
          epochs.add(Json.MAPPER.readTree(line));
        }
      }
    }
    Path configFile = new Path(runDir, "config.conf");
    String config =
        fs.exists(configFile) ? new String(HadoopFiles.readAll(fs, configFile), "UTF-8") : "";
    Path report = new Path(runDir, "report");
    fs.mkdirs(report);

    List<Integer> x = new ArrayList<>();
    List<Double> trainLoss = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    Map<String, List<Double>> test = new LinkedHashMap<>();
    // per-epoch curves: the validation split's when the run has one, else the test split's
    String split = "test";
    for (JsonNode e : epochs) {
      if (e.path("validation").size() > 0) {
        split = "validation";
      }
    }
    TreeSet<String> testKeys = new TreeSet<>();
    for (JsonNode e : epochs) {
      e.path(split).fieldNames().forEachRemaining(testKeys::add);
    }
    testKeys.removeAll(List.of("examples", "non_finite_outputs"));
    for (String k : testKeys) {
      test.put(k, new ArrayList<>());
    }
    for (JsonNode e : epochs) {
      x.add(e.path("epoch").asInt());
      trainLoss.add(e.path("train_loss").asDouble(Double.NaN));
      seconds.add(e.path("epoch_seconds").asDouble(Double.NaN));
      for (String k : testKeys) {
        test.get(k).add(e.path(split).path(k).asDouble(Double.NaN));
      }
    }

    StringBuilder html =
        new StringBuilder(Html.page("Training run: " + summary.path("workload").asText()));
    String status = summary.path("status").asText();
    html.append("<p>Status: <span class=\"")
        .append(RunStatus.SUCCEEDED.value().equals(status) ? "ok" : "bad")
        .append("\">")
        .append(Html.escape(status))
        .append("</span>");
    if (!summary.path("error").isNull() && summary.has("error")) {
      html.append(" — ").append(Html.escape(summary.path("error").asText()));
    }
    html.append("<br>Run directory: <code>")
        .append(Html.escape(summary.path("run_dir").asText()))
        .append("</code></p>\n");

    metricsTable(html, "Final test metrics", summary.path("test_metrics"));
    if (summary.path("class_weights").has("weights")) {
      metricsTable(
          html,
          "Class weights (" + summary.path("class_weights").path("rule").asText() + ")",
          summary.path("class_weights").path("weights"));
    }
    if (summary.path("early_stopping").has("reason")) {
      html.append("<p>Early stopping: ")
          .append(Html.escape(summary.path("early_stopping").path("reason").asText()))
          .append("</p>\n");
    }
    if (summary.path("validation_metrics").size() > 0) {
      metricsTable(html, "Final validation metrics", summary.path("validation_metrics"));
    }

    if (!epochs.isEmpty()) {
      Map<String, List<Double>> losses = new LinkedHashMap<>();
      losses.put("train loss (last round)", trainLoss);
      if (test.containsKey("loss")) {
        losses.put(split + " loss", test.get("loss"));
      }
      image(
          fs,
          report,
          html,
          "loss.png",
          "Loss per epoch",
          Charts.lines("Loss per epoch", "epoch", "loss", x, losses));
      Map<String, List<Double>> quality = new LinkedHashMap<>(test);
      quality.remove("loss");
      if (!quality.isEmpty()) {
        image(
            fs,
            report,
            html,
            "metrics.png",
            split + " metrics per epoch",
            Charts.lines(split + " metrics per epoch", "epoch", "value", x, quality));
      }
      image(
          fs,
          report,
          html,
          "epoch-seconds.png",
          "Seconds per epoch",
          Charts.lines(
              "Seconds per epoch", "epoch", "seconds", x, Map.of("epoch seconds", seconds)));

      html.append("<h2>Epochs</h2>\n<table><tr><th>epoch</th><th>train loss</th>");
      for (String k : testKeys) {
        html.append("<th>").append(split).append(' ').append(Html.escape(k)).append("</th>");
      }
      html.append("<th>seconds</th><th>examples/s</th><th class=\"l\">checkpoint</th></tr>\n");
      for (JsonNode e : epochs) {
        html.append("<tr><td>")
            .append(e.path("epoch").asInt())
            .append("</td><td>")
            .append(fmt(e.path("train_loss").asDouble()))
            .append("</td>");
        for (String k : testKeys) {
          JsonNode v = e.path(split).path(k);
          html.append("<td>").append(v.isMissingNode() ? "" : fmt(v.asDouble())).append("</td>");
        }
        html.append("<td>")
            .append(fmt(e.path("epoch_seconds").asDouble()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.0f", e.path("examples_per_second").asDouble()))
            .append("</td><td class=\"l\">")
            .append(Html.escape(e.path("checkpoint").asText("")))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }

    html.append("<h2>Provenance</h2>\n<pre>")
        .append(
            Html.escape(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary)))
        .append("</pre>\n<h2>Resolved config</h2>\n<pre>")
        .append(Html.escape(config))
        .append("</pre>\n</body></html>\n");
    Path index = new Path(report, "index.html");
    HadoopFiles.writeAtomically(fs, index, html.toString().getBytes("UTF-8"));
    return index.toString();
  }

  private static void image(
      FileSystem fs, Path report, StringBuilder html, String name, String alt, byte[] png)
      throws IOException {
    HadoopFiles.writeAtomically(fs, new Path(report, name), png);
    html.append("<h2>")
        .append(Html.escape(alt))
        .append("</h2>\n<img src=\"")
        .append(Html.escape(name))
        .append("\" alt=\"")
        .append(Html.escape(alt))
        .append("\">\n");
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static void metricsTable(StringBuilder html, String title, JsonNode metrics) {
    html.append("<h2>").append(Html.escape(title)).append("</h2>\n<table><tr>");
    for (Iterator<String> it = metrics.fieldNames(); it.hasNext(); ) {
      html.append("<th>").append(Html.escape(it.next())).append("</th>");
    }
    html.append("</tr><tr>");
    for (Iterator<JsonNode> it = metrics.elements(); it.hasNext(); ) {
      html.append("<td>").append(Html.escape(fmt(it.next().asDouble()))).append("</td>");
    }
    html.append("</tr></table>\n");
  }
}
