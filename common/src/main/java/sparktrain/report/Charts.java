package sparktrain.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts for reports, drawn headless with XChart. */
public final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /**
   * A line chart of one or more series over the same x values (series with fewer points than x are
   * drawn over the first x values).
   */
  public static byte[] lines(
      String title,
      String xTitle,
      String yTitle,
      List<? extends Number> x,
      Map<String, List<Double>> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    series.forEach(
        (name, ys) -> {
          if (!ys.isEmpty()) {
            chart.addSeries(name, x.subList(0, ys.size()), ys).setMarker(SeriesMarkers.CIRCLE);
          }
        });
    return png(chart);
  }

  /** A heat map of a confusion matrix (rows: actual class, columns: predicted class). */
  public static byte[] confusion(String title, long[][] matrix, List<String> labels) {
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(WIDTH)
            .height(WIDTH)
            .title(title)
            .xAxisTitle("predicted")
            .yAxisTitle("actual")
            .build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x2b, 0x6c, 0xb0)});
    List<Number[]> cells = new java.util.ArrayList<>();
    for (int a = 0; a < matrix.length; a++) {
      for (int p = 0; p < matrix.length; p++) {
        // HeatMapChart's y axis grows upwards: put actual class 0 at the top
        cells.add(new Number[] {p, matrix.length - 1 - a, matrix[a][p]});
      }
    }
    List<String> reversed = new java.util.ArrayList<>(labels);
    java.util.Collections.reverse(reversed);
    chart.addSeries("counts", labels, reversed, cells);
    return png(chart);
  }

  private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
    }
  }
}
