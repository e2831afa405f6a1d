package sparktrain.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts for reports, drawn headless with XChart. */
public final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final int SQUARE = 540;
  private static final Color BLUE = new Color(0x2b, 0x6c, 0xb0);
  private static final Color GREY = new Color(0x99, 0x99, 0x99);

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
    XYChart chart = xy(WIDTH, HEIGHT, title, xTitle, yTitle);
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
    int n = matrix.length;
    // counts without grouping or decimals, in a font that fits the cells; none beyond 25 classes
    chart.getStyler().setShowValue(n <= 25);
    chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, n <= 10 ? 12 : 9));
    chart.getStyler().setHeatMapValueDecimalPattern("#");
    chart.getStyler().setMin(0); // an empty-looking cell is a zero count
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, BLUE});
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

  /**
   * A ROC curve: false positive rate on x, true positive rate on y, from (0, 0), with the chance
   * diagonal.
   */
  public static byte[] roc(String title, double[] fpr, double[] tpr) {
    XYChart chart = unitSquare(title, "false positive rate", "true positive rate");
    reference(chart, "chance", new double[] {0, 1}, new double[] {0, 1});
    curve(chart, "ROC", prepend(0, fpr), prepend(0, tpr));
    return png(chart);
  }

  /**
   * A precision-recall curve: recall on x, precision on y, from (0, 1), with the chance level (the
   * fraction of positives) as a horizontal line.
   */
  public static byte[] precisionRecall(
      String title, double[] recall, double[] precision, double chance) {
    XYChart chart = unitSquare(title, "recall", "precision");
    reference(
        chart,
        String.format(java.util.Locale.ROOT, "chance (%.3f)", chance),
        new double[] {0, 1},
        new double[] {chance, chance});
    curve(chart, "precision-recall", prepend(0, recall), prepend(1, precision));
    return png(chart);
  }

  /**
   * A scatter plot of (x, y) points, with a dashed horizontal reference line at {@code refY} (null:
   * none).
   */
  public static byte[] scatter(
      String title, String xTitle, String yTitle, double[] x, double[] y, Double refY) {
    XYChart chart = xy(WIDTH, HEIGHT, title, xTitle, yTitle);
    chart.getStyler().setLegendVisible(false);
    if (x.length == 0) {
      x = new double[] {0};
      y = new double[] {0};
    }
    XYSeries points = chart.addSeries("points", x, y);
    points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    points.setMarker(SeriesMarkers.CIRCLE);
    points.setMarkerColor(new Color(0x2b, 0x6c, 0xb0, 110));
    chart.getStyler().setMarkerSize(5);
    if (refY != null) {
      double lo = java.util.Arrays.stream(x).min().orElse(0);
      double hi = java.util.Arrays.stream(x).max().orElse(1);
      reference(chart, "y = " + refY, new double[] {lo, hi}, new double[] {refY, refY});
    }
    return png(chart);
  }

  /**
   * Grouped bars: one group per category, one bar per series (e.g. champion and challenger per
   * metric); every series has one value per category.
   */
  public static byte[] bars(
      String title, String yTitle, List<String> categories, Map<String, List<Double>> series) {
    org.knowm.xchart.CategoryChart chart =
        new org.knowm.xchart.CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    Color[] colors = {GREY, BLUE};
    int i = 0;
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      chart
          .addSeries(e.getKey(), categories, e.getValue())
          .setFillColor(colors[Math.min(i++, colors.length - 1)]);
    }
    return png(chart);
  }

  /**
   * A histogram of equal-width bins: bin i covers [lowerEdge + i·width, lowerEdge + (i+1)·width).
   */
  public static byte[] histogram(
      String title, String xTitle, double lowerEdge, double binWidth, long[] counts) {
    XYChart chart = xy(WIDTH, HEIGHT, title, xTitle, "count");
    chart.getStyler().setLegendVisible(false);
    // the outline of the bars: (left, 0), then (left, c), (right, c) per bin, then (right, 0)
    int n = counts.length;
    double[] xs = new double[2 * n + 2];
    double[] ys = new double[2 * n + 2];
    xs[0] = lowerEdge;
    for (int i = 0; i < n; i++) {
      xs[2 * i + 1] = lowerEdge + i * binWidth;
      xs[2 * i + 2] = lowerEdge + (i + 1) * binWidth;
      ys[2 * i + 1] = counts[i];
      ys[2 * i + 2] = counts[i];
    }
    xs[2 * n + 1] = lowerEdge + n * binWidth;
    XYSeries bars = chart.addSeries("counts", xs, ys);
    bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    bars.setMarker(SeriesMarkers.NONE);
    bars.setLineColor(BLUE);
    bars.setFillColor(new Color(0x2b, 0x6c, 0xb0, 140));
    chart.getStyler().setYAxisMin(0.0);
    // axis ends on round values, so the ticks fall on round values too
    double lo = lowerEdge;
    double hi = lowerEdge + n * binWidth;
    double step = Math.pow(10, Math.floor(Math.log10(Math.max((hi - lo) / 5, Double.MIN_NORMAL))));
    chart.getStyler().setXAxisMin(Math.floor(lo / step) * step);
    chart.getStyler().setXAxisMax(Math.ceil(hi / step) * step);
    return png(chart);
  }

  private static XYChart unitSquare(String title, String xTitle, String yTitle) {
    XYChart chart = xy(SQUARE, SQUARE, title, xTitle, yTitle);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    return chart;
  }

  /** An XY chart of the reports' look: legend below, white background. */
  private static XYChart xy(int width, int height, String title, String xTitle, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(width)
            .height(height)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    return chart;
  }

  /** The reports' look of every chart with a series legend: legend below, white background. */
  private static void style(Styler styler) {
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setChartBackgroundColor(Color.WHITE);
  }

  private static void curve(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(BLUE);
  }

  private static void reference(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineStyle(SeriesLines.DASH_DASH);
    s.setLineColor(GREY);
  }

  private static double[] prepend(double first, double[] rest) {
    double[] out = new double[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
    }
  }
}
