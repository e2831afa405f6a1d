package sparktrain.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG chart of test accuracy against cumulative wall seconds, one line per competitor and a dashed
 * line at the target. Rendered headless (no display needed).
 */
public final class AccuracyChart {
  private AccuracyChart() {}

  /** The chart as PNG bytes. */
  public static byte[] png(BenchmarkReport report, double target) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(600)
            .title("Test accuracy vs wall time (setup excluded)")
            .xAxisTitle("seconds (cumulative: training + per-epoch evaluation)")
            .yAxisTitle("test accuracy")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    double maxX = 1;
    double minY = target;
    for (CompetitorResult r : report.results()) {
      List<Double> x = new ArrayList<>();
      double t = 0;
      for (double s : r.epochSeconds()) {
        t += s;
        x.add(t);
      }
      maxX = Math.max(maxX, t);
      for (double a : r.testAccuracy()) {
        minY = Math.min(minY, a);
      }
      chart.addSeries(r.name(), x, r.testAccuracy());
    }
    XYSeries line =
        chart.addSeries(
            String.format(Locale.ROOT, "target %.3f", target),
            List.of(0.0, maxX),
            List.of(target, target));
    line.setMarker(SeriesMarkers.NONE);
    line.setLineStyle(SeriesLines.DASH_DASH);
    line.setLineColor(java.awt.Color.GRAY);
    chart.getStyler().setYAxisMin(Math.max(0, Math.floor(minY * 100 - 1) / 100));
    chart.getStyler().setYAxisMax(Math.min(1.0, Math.max(target, maxY(report)) + 0.005));
    chart.getStyler().setXAxisMin(0.0);
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  private static double maxY(BenchmarkReport report) {
    double max = 0;
    for (CompetitorResult r : report.results()) {
      for (double a : r.testAccuracy()) {
        max = Math.max(max, a);
      }
    }
    return max;
  }
}
