package com.creditrisk.report;

import com.creditrisk.report.ReportSection.Calibration;
import com.creditrisk.report.ReportSection.GradeCalibration;
import com.creditrisk.report.ReportSection.Ks;
import com.creditrisk.report.ReportSection.KsPoint;
import com.creditrisk.report.ReportSection.MobPoint;
import com.creditrisk.report.ReportSection.MonthPsi;
import com.creditrisk.report.ReportSection.Psi;
import com.creditrisk.report.ReportSection.Roc;
import com.creditrisk.report.ReportSection.RocCurve;
import com.creditrisk.report.ReportSection.ScoreBin;
import com.creditrisk.report.ReportSection.ScoreDistribution;
import com.creditrisk.report.ReportSection.Strategy;
import com.creditrisk.report.ReportSection.StrategyCurve;
import com.creditrisk.report.ReportSection.StrategyPoint;
import com.creditrisk.report.ReportSection.Trend;
import com.creditrisk.report.ReportSection.TrendLine;
import com.creditrisk.report.ReportSection.TrendPoint;
import com.creditrisk.report.ReportSection.VintageCurve;
import com.creditrisk.report.ReportSection.Vintages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** One XChart chart per section, built from the model alone. */
final class ReportCharts {
  private static final String PERCENT = "0.#%";
  /** Past this many vintages the legend names only some of them; the colour ramp tells the rest. */
  private static final int VINTAGE_LEGEND_MAX = 12;

  private ReportCharts() {}

  static XYChart roc(Roc roc) {
    XYChart chart = ChartStyle.xy(640, 520, "False positive rate (share of goods flagged)",
        "True positive rate (share of bads flagged)");
    square(chart);
    reference(chart, "Random ranking (AUC 0.5)", new double[] {0, 1}, new double[] {0, 1});
    int i = 0;
    for (RocCurve c : roc.curves()) {
      line(chart, c.model() + " (AUC " + Fmt.decimal(c.auc(), 3) + ")",
          c.points().stream().mapToDouble(ReportSection.Point::x).toArray(),
          c.points().stream().mapToDouble(ReportSection.Point::y).toArray(), ChartStyle.series(i++), ChartStyle.SOLID);
    }
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    return chart;
  }

  static XYChart ks(Ks ks) {
    XYChart chart = ChartStyle.xy(ChartStyle.WIDTH, ChartStyle.HEIGHT, ks.scoreName(),
        "Cumulative share at or below the score");
    double[] score = ks.points().stream().mapToDouble(KsPoint::score).toArray();
    roundXRange(chart, score);
    line(chart, "Bads (F_bad)", score, ks.points().stream().mapToDouble(KsPoint::fBad).toArray(), ChartStyle.BAD,
        ChartStyle.SOLID);
    line(chart, "Goods (F_good)", score, ks.points().stream().mapToDouble(KsPoint::fGood).toArray(), ChartStyle.GOOD,
        ChartStyle.SOLID);
    KsPoint at = ks.points().get(nearestIndex(score, ks.ksScore()));
    XYSeries gap = line(chart, "KS = " + Fmt.decimal(ks.ks(), 3) + " at " + Fmt.score(ks.ksScore()),
        new double[] {ks.ksScore(), ks.ksScore()}, new double[] {at.fGood(), at.fBad()}, ChartStyle.INK,
        new BasicStroke(2.5f));
    gap.setMarker(SeriesMarkers.CIRCLE);
    gap.setMarkerColor(ChartStyle.INK);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern(PERCENT);
    // Both curves end at 100% on the right: the lower right corner is always free.
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    return chart;
  }

  /** The index of the value closest to x (the first of equals). */
  static int nearestIndex(double[] xs, double x) {
    int best = 0;
    for (int i = 1; i < xs.length; i++) {
      if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) {
        best = i;
      }
    }
    return best;
  }

  static CategoryChart distribution(ScoreDistribution d) {
    CategoryChart chart = ChartStyle.category(d.scoreName() + ", bin (lower, upper]",
        "Share of the group in the bin");
    List<String> labels = d.bins().stream().map(b -> Fmt.bin(b.lower(), b.upper())).toList();
    long goods = d.bins().stream().mapToLong(ScoreBin::goods).sum();
    long bads = d.bins().stream().mapToLong(ScoreBin::bads).sum();
    chart.addSeries("Goods (n = " + Fmt.count(goods) + ")", labels,
        d.bins().stream().map(b -> (Number) Fmt.share(b.goods(), goods)).toList()).setFillColor(ChartStyle.GOOD);
    chart.addSeries("Bads (n = " + Fmt.count(bads) + ")", labels,
        d.bins().stream().map(b -> (Number) Fmt.share(b.bads(), bads)).toList()).setFillColor(ChartStyle.BAD);
    double max = d.bins().stream().mapToDouble(b -> Math.max(Fmt.share(b.goods(), goods), Fmt.share(b.bads(), bads)))
        .max().orElse(0);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(niceCeiling(max * 1.08)).setYAxisDecimalPattern(PERCENT);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    allLabels(chart, labels.size());
    if (labels.size() > 8) {
      chart.getStyler().setXAxisLabelRotation(40);
    }
    return chart;
  }

  static XYChart calibration(Calibration c) {
    XYChart chart = ChartStyle.xy(ChartStyle.WIDTH, 520, "Predicted PD (mean of the grade)",
        "Observed default rate");
    double top = 0;
    for (GradeCalibration g : c.grades()) {
      top = Math.max(top, Math.max(g.meanPd(), Math.max(g.upper(), g.observedRate())));
    }
    top = niceCeiling(top * 1.05);
    reference(chart, "Perfect calibration", new double[] {0, top}, new double[] {0, top});
    double cap = top / 120;
    boolean first = true;
    for (GradeCalibration g : c.grades()) {
      // Jeffreys intervals are asymmetric, and XChart's error bars symmetric: each is drawn as three strokes.
      interval(chart, first ? "Jeffreys 95% interval" : "interval " + g.grade(), first,
          new double[] {g.meanPd(), g.meanPd()}, new double[] {g.lower(), g.upper()});
      for (double end : new double[] {g.lower(), g.upper()}) {
        interval(chart, "interval " + g.grade() + " end " + end, false,
            new double[] {g.meanPd() - cap, g.meanPd() + cap}, new double[] {end, end});
      }
      first = false;
    }
    // One point series per light, so a red grade is visible on the chart and not only in the table.
    for (TrafficLight light : TrafficLight.values()) {
      List<GradeCalibration> grades = c.grades().stream().filter(g -> lightOf(g) == light).toList();
      if (!grades.isEmpty()) {
        XYSeries s = chart.addSeries("Observed rate, grade " + light.label(),
            grades.stream().mapToDouble(GradeCalibration::meanPd).toArray(),
            grades.stream().mapToDouble(GradeCalibration::observedRate).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(ChartStyle.light(light));
      }
    }
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(top).setYAxisMin(0.0).setYAxisMax(top);
    chart.getStyler().setXAxisDecimalPattern(PERCENT).setYAxisDecimalPattern(PERCENT);
    chart.getStyler().setMarkerSize(9);
    // Far below the diagonal means a grossly overstated PD: that corner is empty in any usable model.
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    return chart;
  }

  private static void interval(XYChart chart, String name, boolean inLegend, double[] x, double[] y) {
    line(chart, name, x, y, ChartStyle.REFERENCE, new BasicStroke(1.6f)).setShowInLegend(inLegend);
  }

  /** Grades without a light of their own are drawn as green: their table row says there is no test. */
  private static TrafficLight lightOf(GradeCalibration g) {
    return g.light() == null ? TrafficLight.GREEN : g.light();
  }

  static XYChart strategy(Strategy s) {
    XYChart chart = ChartStyle.xy(ChartStyle.WIDTH, 480, "Approval rate (share of applications approved)",
        "Bad rate of the approved");
    segments(chart, s, StrategyPoint::approvalRate);
    targets(chart, s, 0, 1);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern(PERCENT).setYAxisDecimalPattern(PERCENT);
    chart.getStyler().setMarkerSize(12);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    return chart;
  }

  static XYChart strategyByCutoff(Strategy s) {
    XYChart chart = ChartStyle.xy(ChartStyle.WIDTH, 440, "Cutoff (" + s.scoreName() + ")", "Bad rate of the approved");
    double[] cutoffs = s.curves().stream().flatMap(c -> c.points().stream()).mapToDouble(StrategyPoint::cutoff)
        .toArray();
    roundXRange(chart, cutoffs);
    segments(chart, s, StrategyPoint::cutoff);
    targets(chart, s, Arrays.stream(cutoffs).min().orElse(0), Arrays.stream(cutoffs).max().orElse(1));
    chart.getStyler().setYAxisMin(0.0).setYAxisDecimalPattern(PERCENT).setXAxisDecimalPattern("0");
    chart.getStyler().setMarkerSize(12);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    return chart;
  }

  /** Per segment, in its own colour: bad rate (solid), its upper bound (dashed), the chosen cutoff (diamond). */
  private static void segments(XYChart chart, Strategy s, ToDoubleFunction<StrategyPoint> x) {
    int i = 0;
    for (StrategyCurve c : s.curves()) {
      Color colour = ChartStyle.series(i++);
      line(chart, c.segment() + ": bad rate", c.points().stream().mapToDouble(x).toArray(),
          c.points().stream().mapToDouble(StrategyPoint::badRate).toArray(), colour, ChartStyle.SOLID);
      List<StrategyPoint> bounded = c.points().stream().filter(p -> p.badRateUpper() != null).toList();
      if (!bounded.isEmpty()) {
        line(chart, c.segment() + ": 95% upper bound", bounded.stream().mapToDouble(x).toArray(),
            bounded.stream().mapToDouble(StrategyPoint::badRateUpper).toArray(), colour, ChartStyle.DASHED);
      }
      StrategyPoint chosen = chosen(c);
      if (chosen != null) {
        XYSeries mark = chart.addSeries(c.segment() + ": cutoff " + Fmt.score(chosen.cutoff()),
            new double[] {x.applyAsDouble(chosen)}, new double[] {chosen.badRate()});
        mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        mark.setMarker(SeriesMarkers.DIAMOND);
        mark.setMarkerColor(colour);
      }
    }
  }

  /** One dotted line per distinct target bad rate, from x = from to x = to. */
  private static void targets(XYChart chart, Strategy s, double from, double to) {
    s.curves().stream().map(StrategyCurve::targetBadRate).filter(Objects::nonNull).distinct()
        .forEach(t -> line(chart, "Target bad rate " + Fmt.percent(t, 1), new double[] {from, to},
            new double[] {t, t}, ChartStyle.RED, ChartStyle.DOTTED));
  }

  /** The curve's point at its chosen cutoff, or null when none was chosen. */
  static StrategyPoint chosen(StrategyCurve c) {
    if (c.chosenCutoff() == null) {
      return null;
    }
    return c.points().get(nearestIndex(c.points().stream().mapToDouble(StrategyPoint::cutoff).toArray(),
        c.chosenCutoff()));
  }

  static CategoryChart psi(Psi p) {
    CategoryChart chart = ChartStyle.category("Application month", "PSI against " + p.baseline());
    List<String> months = p.months().stream().map(MonthPsi::month).toList();
    // One bar series per band, zero elsewhere, overlapped: each month's bar takes its band's colour.
    for (TrafficLight light : TrafficLight.values()) {
      List<Number> values = new ArrayList<>();
      boolean any = false;
      for (MonthPsi m : p.months()) {
        boolean in = Psi.light(m.psi()) == light;
        any |= in;
        values.add(in ? m.psi() : 0.0);
      }
      CategorySeries s = chart.addSeries(bandName(light), months, values);
      s.setFillColor(ChartStyle.light(light));
      s.setShowInLegend(any);
    }
    bandLine(chart, "0.10 watch line", months, Psi.WATCH, ChartStyle.AMBER);
    bandLine(chart, "0.25 shift line", months, Psi.SHIFTED, ChartStyle.RED);
    double max = p.months().stream().mapToDouble(MonthPsi::psi).max().orElse(0);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(niceCeiling(Math.max(0.3, max * 1.1)));
    chart.getStyler().setYAxisDecimalPattern("0.00");
    allLabels(chart, months.size());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    if (months.size() > 12) {
      chart.getStyler().setXAxisLabelRotation(45);
    }
    return chart;
  }

  /** Every category labelled (XChart skips some by default); XChart rejects a maximum below 2. */
  private static void allLabels(CategoryChart chart, int categories) {
    if (categories >= 2) {
      chart.getStyler().setXAxisMaxLabelCount(categories);
    }
  }

  private static String bandName(TrafficLight light) {
    return switch (light) {
      case GREEN -> "Stable (< 0.10)";
      case AMBER -> "Watch (0.10-0.25)";
      case RED -> "Shifted (> 0.25)";
    };
  }

  private static void bandLine(CategoryChart chart, String name, List<String> months, double level, Color colour) {
    CategorySeries s = chart.addSeries(name, months, months.stream().map(m -> (Number) level).toList());
    s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    s.setLineColor(colour);
    s.setLineStyle(ChartStyle.DASHED);
    s.setMarker(SeriesMarkers.NONE);
  }

  /**
   * One indicator over as-of dates: the values as a line with markers coloured by their light, the
   * 95% interval as dotted lines when every point has one, each threshold as a dashed line in its
   * light's colour.
   */
  static CategoryChart trend(Trend t) {
    CategoryChart chart = ChartStyle.category("As-of date", t.unit());
    List<String> dates = t.points().stream().map(TrendPoint::asOfDate).toList();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (TrendPoint p : t.points()) {
      lo = Math.min(lo, p.low() == null ? p.value() : Math.min(p.low(), p.value()));
      hi = Math.max(hi, p.high() == null ? p.value() : Math.max(p.high(), p.value()));
    }
    for (TrendLine l : t.lines()) {
      CategorySeries s = chart.addSeries(l.name(), dates, new ArrayList<Number>(l.levels()));
      s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
      s.setLineColor(ChartStyle.light(l.light()));
      s.setLineStyle(ChartStyle.DASHED);
      s.setMarker(SeriesMarkers.NONE);
      for (double v : l.levels()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (t.points().stream().allMatch(p -> p.low() != null && p.high() != null)) {
      for (boolean upper : new boolean[] {false, true}) {
        CategorySeries s = chart.addSeries(upper ? "95% interval" : " ", dates,
            t.points().stream().map(p -> (Number) (upper ? p.high() : p.low())).toList());
        s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        s.setLineColor(ChartStyle.REFERENCE);
        s.setLineStyle(ChartStyle.DOTTED);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(upper);
      }
    }
    CategorySeries values = chart.addSeries(t.unit(), dates,
        t.points().stream().map(p -> (Number) p.value()).toList());
    values.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    values.setLineColor(ChartStyle.INK);
    values.setLineStyle(ChartStyle.SOLID);
    values.setMarker(SeriesMarkers.CIRCLE);
    values.setMarkerColor(ChartStyle.INK);
    // One scatter series per light over the line, so each date's marker takes its light's colour.
    for (TrafficLight light : TrafficLight.values()) {
      if (t.points().stream().noneMatch(p -> p.light() == light)) {
        continue;
      }
      CategorySeries s = chart.addSeries(light.label(), dates, t.points().stream()
          .map(p -> (Number) (p.light() == light ? p.value() : null)).toList());
      s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(ChartStyle.light(light));
      s.setShowInLegend(false);
    }
    double pad = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(hi) * 0.1, 0.01);
    chart.getStyler().setYAxisMin(lo - pad).setYAxisMax(hi + pad);
    chart.getStyler().setYAxisDecimalPattern("0.000");
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    allLabels(chart, dates.size());
    if (dates.size() > 12) {
      chart.getStyler().setXAxisLabelRotation(45);
    }
    return chart;
  }

  static XYChart vintages(Vintages v) {
    XYChart chart = ChartStyle.xy(ChartStyle.WIDTH, 480, "Months on book", "Cumulative bad rate");
    int n = v.vintages().size();
    int step = n <= VINTAGE_LEGEND_MAX ? 1 : (int) Math.ceil(n / (double) VINTAGE_LEGEND_MAX);
    for (int i = 0; i < n; i++) {
      VintageCurve c = v.vintages().get(i);
      XYSeries s = line(chart, c.disbursementMonth(),
          c.points().stream().mapToDouble(MobPoint::monthsOnBook).toArray(),
          c.points().stream().mapToDouble(MobPoint::badRate).toArray(), ChartStyle.sequential(i, n), ChartStyle.THIN);
      s.setShowInLegend(i % step == 0 || i == n - 1);
    }
    chart.getStyler().setXAxisMin(0.0).setYAxisMin(0.0).setYAxisDecimalPattern(PERCENT);
    chart.getStyler().setXAxisDecimalPattern("0");
    return chart;
  }

  private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color colour, BasicStroke stroke) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(colour);
    s.setLineStyle(stroke);
    return s;
  }

  private static void reference(XYChart chart, String name, double[] x, double[] y) {
    line(chart, name, x, y, ChartStyle.REFERENCE, ChartStyle.DASHED);
  }

  private static void square(XYChart chart) {
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
  }

  /**
   * Score axes from and to round numbers with round ticks. Given a first series with equally
   * spaced x values (every integer score, a regular cutoff grid), XChart puts a tick on every n-th
   * value instead (400, 418, 436, ...): an invisible first series of two unevenly spaced points
   * at the axis ends keeps it on its round-number ticks. Call it before adding the data.
   */
  private static void roundXRange(XYChart chart, double[] xs) {
    double lo = Arrays.stream(xs).min().orElse(0);
    double hi = Arrays.stream(xs).max().orElse(1);
    if (hi > lo) {
      double step = niceCeiling((hi - lo) / 10);
      double from = Math.floor(lo / step) * step;
      double to = Math.ceil(hi / step) * step;
      chart.getStyler().setXAxisMin(from).setXAxisMax(to);
      XYSeries anchor = chart.addSeries(" ", new double[] {from, (from + to) / 3, to}, new double[] {0, 0, 0});
      anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      anchor.setMarker(SeriesMarkers.NONE);
      anchor.setShowInLegend(false);
    }
  }

  /** The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or above x. */
  static double niceCeiling(double x) {
    if (!(x > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(x)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= x - 1e-12) {
        return m * p;
      }
    }
    return 10 * p;
  }

}
