package com.creditrisk.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The report's one palette and chart look. Goods and bads keep their colours in every chart, and
 * the traffic-light colours are the same as the HTML badges (report.css mirrors these values).
 */
final class ChartStyle {
  static final Color GOOD = new Color(0x2B6CB0);
  static final Color BAD = new Color(0xDD6B20);
  static final Color GREEN = new Color(0x2F855A);
  static final Color AMBER = new Color(0xD69E2E);
  static final Color RED = new Color(0xC53030);
  static final Color REFERENCE = new Color(0x8A8F98);
  static final Color INK = new Color(0x1F2933);
  /** Models and segments: distinct from the goods/bads pair and from the lights. */
  static final Color[] SERIES = {
      new Color(0x2C3E91), new Color(0x138D90), new Color(0x7B3FA0), new Color(0x8C564B), new Color(0xB83280),
      new Color(0x4A5568)};

  static final BasicStroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
      new float[] {6f, 4f}, 0f);
  static final BasicStroke DOTTED = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
      new float[] {2f, 4f}, 0f);
  static final BasicStroke THIN = new BasicStroke(1.4f);

  static final int WIDTH = 820;
  static final int HEIGHT = 440;

  private static final String FONT = Font.SANS_SERIF;

  private ChartStyle() {}

  static Color light(TrafficLight light) {
    return switch (light) {
      case GREEN -> GREEN;
      case AMBER -> AMBER;
      case RED -> RED;
    };
  }

  static Color series(int i) {
    return SERIES[i % SERIES.length];
  }

  /** Older vintages light, recent ones dark, so the order reads without the legend. */
  static Color sequential(int i, int count) {
    double t = count <= 1 ? 1.0 : (double) i / (count - 1);
    Color from = new Color(0xA3BFFA);
    Color to = new Color(0x1A365D);
    return new Color(mix(from.getRed(), to.getRed(), t), mix(from.getGreen(), to.getGreen(), t),
        mix(from.getBlue(), to.getBlue(), t));
  }

  private static int mix(int a, int b, double t) {
    return (int) Math.round(a + (b - a) * t);
  }

  static XYChart xy(int width, int height, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(width).height(height).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    apply(chart.getStyler());
    chart.getStyler().setMarkerSize(7);
    // Fewer, rounder ticks than XChart's default (0.2 steps on a 0..1 axis, not 0.1).
    chart.getStyler().setXAxisTickMarkSpacingHint(110);
    return chart;
  }

  static CategoryChart category(String xTitle, String yTitle) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    apply(chart.getStyler());
    chart.getStyler().setAvailableSpaceFill(0.8);
    return chart;
  }

  private static void apply(AxesChartStyler s) {
    s.setChartTitleVisible(false);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderVisible(true);
    s.setPlotBorderColor(new Color(0xCBD2D9));
    s.setPlotGridLinesColor(new Color(0xE4E7EB));
    s.setPlotGridLinesStroke(new BasicStroke(1f));
    s.setChartFontColor(INK);
    s.setAxisTickLabelsColor(new Color(0x3E4C59));
    s.setAxisTickMarksColor(new Color(0x9AA5B1));
    s.setBaseFont(new Font(FONT, Font.PLAIN, 13));
    s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
    s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
    s.setLegendBorderColor(new Color(0xCBD2D9));
    s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendSeriesLineLength(22);
    s.setChartPadding(8);
    s.setPlotMargin(6);
    s.setAxisTicksLineVisible(false);
    s.setAntiAlias(true);
    s.setTextAntiAlias(true);
    s.setLocale(java.util.Locale.ROOT);
  }
}
