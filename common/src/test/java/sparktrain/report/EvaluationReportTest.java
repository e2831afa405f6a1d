package sparktrain.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.eval.BinaryClassificationMetrics;
import sparktrain.eval.ClassificationMetrics;
import sparktrain.eval.EvaluationResult;
import sparktrain.io.Json;

/** The evaluation report of every kind references only images it wrote, each a PNG. */
class EvaluationReportTest {
  private static Path write(Path dir, EvaluationResult metrics) throws Exception {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", "report-test");
    json.putAll(metrics.detail());
    json.put("model", Map.of("path", "runs/m1", "resolved", "file:/runs/m1/model"));
    json.put("data", Map.of("split", "test", "partitions", 2, "normalization", "none"));
    json.put("run", Map.of("seconds", 1.5, "rows_per_second", 1000.0, "spark_master", "local[2]"));
    Files.createDirectories(dir);
    Files.write(dir.resolve("metrics.json"), Json.pretty(json));
    String index =
        EvaluationReport.write(
            FileSystem.getLocal(new Configuration()),
            new org.apache.hadoop.fs.Path(dir.toString()));
    assertThat(index).endsWith("report/index.html");
    return dir.resolve("report");
  }

  private static List<String> checkImages(Path report) throws Exception {
    String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
    List<String> images = new ArrayList<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      images.add(m.group(1));
    }
    for (String image : images) {
      byte[] png = Files.readAllBytes(report.resolve(image));
      assertThat(png.length).as(image).isGreaterThan(1000);
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).as(image).isEqualTo("PNG");
    }
    assertThat(html).doesNotContain("http://").doesNotContain("https://");
    return images;
  }

  @Test
  void binaryReportHasConfusionRocAndPrCurves(@TempDir Path tmp) throws Exception {
    BinaryClassificationMetrics m = new BinaryClassificationMetrics();
    Random r = new Random(3);
    for (int i = 0; i < 2000; i++) {
      boolean positive = r.nextDouble() < 0.3;
      double score = 1 / (1 + Math.exp(-(r.nextGaussian() + (positive ? 1.5 : -1.0))));
      m.add(positive, score);
    }
    m.addNonFinite();

    Path report = write(tmp.resolve("binary"), m);

    assertThat(checkImages(report)).containsExactly("confusion.png", "roc.png", "pr.png");
    String html = Files.readString(report.resolve("index.html"));
    assertThat(html)
        .contains("Thresholds")
        .contains("1 of 2001 examples had a NaN or infinite network output")
        .contains("Areas: exact");
  }

  @Test
  void multiclassReportWithOnlyNonFiniteOutputsStillRenders(@TempDir Path tmp) throws Exception {
    ClassificationMetrics m = new ClassificationMetrics(3);
    for (int i = 0; i < 5; i++) {
      m.addNonFinite();
    }

    Path report = write(tmp.resolve("nan"), m);

    assertThat(checkImages(report)).containsExactly("confusion.png");
    assertThat(Files.readString(report.resolve("index.html")))
        .contains("(so every metric is NaN)")
        .contains("<td class=\"l\">accuracy</td><td>NaN</td>");
  }
}
