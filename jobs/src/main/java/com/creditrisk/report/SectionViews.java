package com.creditrisk.report;

import com.creditrisk.report.ReportSection.Calibration;
import com.creditrisk.report.ReportSection.GradeCalibration;
import com.creditrisk.report.ReportSection.Ks;
import com.creditrisk.report.ReportSection.KsPoint;
import com.creditrisk.report.ReportSection.MobPoint;
import com.creditrisk.report.ReportSection.MonthPsi;
import com.creditrisk.report.ReportSection.NotAvailable;
import com.creditrisk.report.ReportSection.Psi;
import com.creditrisk.report.ReportSection.Roc;
import com.creditrisk.report.ReportSection.RocCurve;
import com.creditrisk.report.ReportSection.ScoreBin;
import com.creditrisk.report.ReportSection.ScoreDistribution;
import com.creditrisk.report.ReportSection.Strategy;
import com.creditrisk.report.ReportSection.StrategyCurve;
import com.creditrisk.report.ReportSection.StrategyPoint;
import com.creditrisk.report.ReportSection.FeatureCsi;
import com.creditrisk.report.ReportSection.SourceStability;
import com.creditrisk.report.ReportSection.SourceValues;
import com.creditrisk.report.ReportSection.SourceWorth;
import com.creditrisk.report.ReportSection.Trend;
import com.creditrisk.report.ReportSection.TrendPoint;
import com.creditrisk.report.ReportSection.Trends;
import com.creditrisk.report.ReportSection.VintageCurve;
import com.creditrisk.report.ReportSection.Vintages;
import com.creditrisk.report.ReportView.Cell;
import com.creditrisk.report.ReportView.Section;
import com.creditrisk.report.ReportView.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Each model section as the template shows it: its chart as inline SVG and the tables behind it.
 * Curves of hundreds of points are thinned to a readable number of table rows; the chart keeps
 * every point.
 */
final class SectionViews {
  /** Rows a curve's table keeps (evenly spaced, ends and the marked point always kept). */
  static final int CURVE_TABLE_ROWS = 15;
  /** Per segment, fewer: several segments share one table. */
  static final int SEGMENT_TABLE_ROWS = 10;

  private SectionViews() {}

  /**
   * The section with {@code cells} applied: small score bins merged, other small cells marked
   * suppressed in the tables and left out of the charts.
   */
  static Section of(ReportSection full, SmallCells cells) {
    ReportSection s = cells.shown(full);
    ReportSection drawn = cells.chartable(s);
    String kind = s.kind().name().toLowerCase(Locale.ROOT);
    String id = "sec-" + kind.replace('_', '-');
    String title = s.kind().title();
    if (s instanceof NotAvailable n) {
      return new Section(id, kind, title, n.reason(), List.of(), List.of());
    }
    if (s instanceof Roc r) {
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.roc(r), title)), List.of(roc(r)));
    }
    if (s instanceof Ks k) {
      String caption = title + ". KS = " + Fmt.decimal(k.ks(), 3) + ", reached at score " + Fmt.score(k.ksScore())
          + ".";
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.ks(k), caption)), List.of(ks(k)));
    }
    if (s instanceof ScoreDistribution d) {
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.distribution(d), title)),
          List.of(distribution(d)));
    }
    if (s instanceof Calibration c) {
      Calibration dc = (Calibration) drawn;
      String caption = c.portfolioPValue() == null ? title
          : title + ". Portfolio-level Jeffreys test: p = " + Fmt.pValue(c.portfolioPValue())
              + ". It decides the verdict; grade-level reds are listed because ten tests at 5% give false reds"
              + " by chance.";
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.calibration(dc), caption)),
          List.of(calibration(c, cells)));
    }
    if (s instanceof Strategy st) {
      Strategy ds = (Strategy) drawn;
      return new Section(id, kind, title, null,
          List.of(figure(id, ReportCharts.strategy(ds), "Bad rate against approval rate"),
              figure(id + "-cutoff", ReportCharts.strategyByCutoff(ds), "Bad rate by cutoff")),
          List.of(cutoffs(st, cells), strategyGrid(st, cells)));
    }
    if (s instanceof Psi p) {
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.psi((Psi) drawn), title)),
          List.of(psi(p, cells)));
    }
    if (s instanceof Vintages v) {
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.vintages((Vintages) drawn), title)),
          List.of(vintages(v, cells)));
    }
    if (s instanceof SourceValues v) {
      String caption = "AUC gain of each source with its 95% CI (paired DeLong), out of time on "
          + Fmt.count(v.loans()) + " loans";
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.sourceValues(v), caption)),
          sourceValues(v));
    }
    if (s instanceof SourceStability st) {
      return new Section(id, kind, title, null, List.of(figure(id, ReportCharts.sourceStability(st), title)),
          List.of(sourceStability(st)));
    }
    if (s instanceof Trends t) {
      List<ReportView.Figure> figures = new ArrayList<>();
      for (int i = 0; i < t.trends().size(); i++) {
        Trend tr = t.trends().get(i);
        figures.add(figure(id + "-" + (i + 1), ReportCharts.trend(tr),
            tr.title() + (tr.rule().isEmpty() ? "" : ". Light: " + tr.rule())));
      }
      return new Section(id, kind, title, null, figures, List.of(trends(t)));
    }
    throw new IllegalArgumentException("Unknown report section " + s.getClass().getName());
  }

  private static ReportView.Figure figure(String id, Chart<?, ?> chart, String caption) {
    return new ReportView.Figure(id, InlineSvg.of(chart, id), caption);
  }

  static Table roc(Roc r) {
    List<List<Cell>> rows = new ArrayList<>();
    for (RocCurve c : r.curves()) {
      String ci = c.aucLow() == null || c.aucHigh() == null ? "-"
          : Fmt.decimal(c.aucLow(), 3) + " - " + Fmt.decimal(c.aucHigh(), 3);
      rows.add(List.of(Cell.text(c.model()), Cell.num(Fmt.decimal(c.auc(), 3)), Cell.num(ci),
          Cell.num(Fmt.decimal(2 * c.auc() - 1, 3)), Cell.num(Fmt.count(c.points().size()))));
    }
    return Table.of("Discrimination by model", List.of("Model", "AUC", "95% CI (DeLong)", "Gini", "Curve points"),
        rows, null);
  }

  static Table ks(Ks k) {
    int marked = ReportCharts.nearestIndex(k.points().stream().mapToDouble(KsPoint::score).toArray(), k.ksScore());
    List<List<Cell>> rows = new ArrayList<>();
    for (int i : thin(k.points().size(), CURVE_TABLE_ROWS, marked)) {
      KsPoint p = k.points().get(i);
      rows.add(mark(i == marked, List.of(Cell.num(Fmt.score(p.score())), Cell.num(Fmt.percent(p.fBad(), 1)),
          Cell.num(Fmt.percent(p.fGood(), 1)), Cell.num(Fmt.decimal(Math.abs(p.fBad() - p.fGood()), 3)))));
    }
    return Table.of("Cumulative shares by score", List.of("Score", "F_bad", "F_good", "|F_bad - F_good|"), rows,
        thinNote(k.points().size(), rows.size()));
  }

  static Table distribution(ScoreDistribution d) {
    long goods = d.bins().stream().mapToLong(ScoreBin::goods).sum();
    long bads = d.bins().stream().mapToLong(ScoreBin::bads).sum();
    List<List<Cell>> rows = new ArrayList<>();
    for (ScoreBin b : d.bins()) {
      rows.add(List.of(Cell.text(Fmt.bin(b.lower(), b.upper())), Cell.num(Fmt.count(b.goods())),
          Cell.num(Fmt.count(b.bads())), Cell.num(Fmt.percent(Fmt.share(b.goods(), goods), 1)),
          Cell.num(Fmt.percent(Fmt.share(b.bads(), bads), 1)),
          Cell.num(b.goods() + b.bads() == 0 ? "-" : Fmt.percent(Fmt.share(b.bads(), b.goods() + b.bads()), 2))));
    }
    rows.add(mark(true, List.of(Cell.text("All"), Cell.num(Fmt.count(goods)), Cell.num(Fmt.count(bads)),
        Cell.num("100.0%"), Cell.num("100.0%"), Cell.num(Fmt.percent(Fmt.share(bads, goods + bads), 2)))));
    return Table.of("Counts by score bin", List.of("Score bin", "Goods", "Bads", "Share of goods", "Share of bads",
        "Bad rate"), rows, null);
  }

  static Table calibration(Calibration c, SmallCells cells) {
    List<List<Cell>> rows = new ArrayList<>();
    for (GradeCalibration g : c.grades()) {
      if (cells.hides(g.n())) {
        rows.add(suppressed(cells, List.of(Cell.text(g.grade())), 5, Cell.light(null)));
        continue;
      }
      rows.add(List.of(Cell.text(g.grade()), Cell.num(Fmt.count(g.n())), Cell.num(Fmt.count(g.defaults())),
          Cell.num(Fmt.percent(g.meanPd(), 2)), Cell.num(Fmt.percent(g.observedRate(), 2)),
          Cell.num(Fmt.percent(g.lower(), 2) + " - " + Fmt.percent(g.upper(), 2)), Cell.num(Fmt.pValue(g.pValue())),
          Cell.light(g.light())));
    }
    return Table.of("Calibration by grade", List.of("Grade", "n", "Defaults", "Mean PD", "Observed rate",
        "Jeffreys 95% interval", "Jeffreys p", "Light"), rows,
        "p is the Jeffreys test of the grade's mean PD: small p means the PD is too low for the defaults seen.");
  }

  static Table cutoffs(Strategy s, SmallCells cells) {
    List<List<Cell>> rows = new ArrayList<>();
    for (StrategyCurve c : s.curves()) {
      StrategyPoint p = ReportCharts.chosen(c);
      String target = c.targetBadRate() == null ? "-" : Fmt.percent(c.targetBadRate(), 1);
      if (p == null) {
        rows.add(List.of(Cell.text(c.segment()), Cell.num(target), Cell.text("none qualifies"), Cell.num("-"),
            Cell.num("-"), Cell.num("-")));
      } else if (cells.hides(p.approved())) {
        rows.add(suppressed(cells, List.of(Cell.text(c.segment()), Cell.num(target)), 3));
      } else {
        rows.add(List.of(Cell.text(c.segment()), Cell.num(target), Cell.num(Fmt.score(p.cutoff())),
            Cell.num(Fmt.percent(p.approvalRate(), 1)), Cell.num(Fmt.percent(p.badRate(), 2)),
            Cell.num(p.badRateUpper() == null ? "-" : Fmt.percent(p.badRateUpper(), 2))));
      }
    }
    return Table.of("Chosen cutoff by segment", List.of("Segment", "Target bad rate", "Cutoff", "Approval rate",
        "Bad rate", "95% upper bound"), rows, null);
  }

  static Table strategyGrid(Strategy s, SmallCells cells) {
    List<List<Cell>> rows = new ArrayList<>();
    int shown = 0;
    int all = 0;
    for (StrategyCurve c : s.curves()) {
      StrategyPoint chosen = ReportCharts.chosen(c);
      int marked = chosen == null ? -1 : c.points().indexOf(chosen);
      for (int i : thin(c.points().size(), SEGMENT_TABLE_ROWS, marked)) {
        StrategyPoint p = c.points().get(i);
        if (cells.hides(p.approved())) {
          rows.add(suppressed(cells, List.of(Cell.text(c.segment()), Cell.num(Fmt.score(p.cutoff()))), 3));
          shown++;
          continue;
        }
        rows.add(mark(i == marked, List.of(Cell.text(c.segment()), Cell.num(Fmt.score(p.cutoff())),
            Cell.num(Fmt.count(p.approved())), Cell.num(Fmt.percent(p.approvalRate(), 1)),
            Cell.num(Fmt.percent(p.badRate(), 2)),
            Cell.num(p.badRateUpper() == null ? "-" : Fmt.percent(p.badRateUpper(), 2)))));
        shown++;
      }
      all += c.points().size();
    }
    return Table.of("Approval and bad rate by cutoff (" + s.scoreName() + ")", List.of("Segment", "Cutoff",
        "Approved", "Approval rate", "Bad rate", "95% upper bound"), rows, thinNote(all, shown));
  }

  static Table psi(Psi p, SmallCells cells) {
    List<List<Cell>> rows = new ArrayList<>();
    for (MonthPsi m : p.months()) {
      if (cells.hides(m.n())) {
        rows.add(suppressed(cells, List.of(Cell.text(m.month())), 1, Cell.light(null)));
        continue;
      }
      rows.add(List.of(Cell.text(m.month()), Cell.num(Fmt.count(m.n())), Cell.num(Fmt.decimal(m.psi(), 3)),
          Cell.light(Psi.light(m.psi()))));
    }
    return Table.of("PSI by application month against " + p.baseline(), List.of("Month", "n", "PSI", "Band"), rows,
        "Bands: below 0.10 stable, 0.10 to 0.25 watch, above 0.25 shifted.");
  }

  static Table vintages(Vintages v, SmallCells cells) {
    TreeSet<Integer> mobs = new TreeSet<>();
    v.vintages().forEach(c -> c.points().forEach(p -> mobs.add(p.monthsOnBook())));
    List<Integer> columns = new ArrayList<>(mobs);
    List<String> headers = new ArrayList<>(List.of("Disbursed", "Loans"));
    columns.forEach(m -> headers.add("MOB " + m));
    List<List<Cell>> rows = new ArrayList<>();
    for (VintageCurve c : v.vintages()) {
      if (cells.hides(c.loans())) {
        rows.add(suppressed(cells, List.of(Cell.text(c.disbursementMonth())), columns.size()));
        continue;
      }
      Map<Integer, Double> byMob = new TreeMap<>();
      for (MobPoint p : c.points()) {
        byMob.put(p.monthsOnBook(), p.badRate());
      }
      List<Cell> row = new ArrayList<>(List.of(Cell.text(c.disbursementMonth()), Cell.num(Fmt.count(c.loans()))));
      for (int m : columns) {
        Double rate = byMob.get(m);
        row.add(Cell.num(rate == null ? "" : Fmt.percent(rate, 1)));
      }
      rows.add(row);
    }
    return Table.of("Cumulative bad rate by months on book (MOB)", headers, rows,
        "An empty cell: the vintage has not been on book that long yet.");
  }

  /** The gains, then what they are worth: one table would be too wide for the page. */
  static List<Table> sourceValues(SourceValues v) {
    List<List<Cell>> gains = new ArrayList<>();
    List<List<Cell>> worth = new ArrayList<>();
    for (SourceWorth w : v.sources()) {
      gains.add(List.of(Cell.text(w.source()), Cell.num(Fmt.percent(w.coverage(), 1)), gain(w.overScore()),
          Cell.num(Fmt.pValue(w.overScore().pValue())), gain(w.overOtherSources()),
          Cell.num(Fmt.pValue(w.overOtherSources().pValue()))));
      worth.add(List.of(Cell.text(w.source()), Cell.num(Fmt.signed(w.badsAvoidedPer1000(), 1)),
          Cell.num(Fmt.signed(w.extraApprovalsPer1000(), 1)), Cell.num(Fmt.signed(w.valuePer1000(), 2)),
          Cell.text(w.verdict())));
    }
    return List.of(
        Table.of("AUC gain of each source, out of time on the same " + Fmt.count(v.loans()) + " loans",
            List.of("Source", "Coverage", "Over the score (95% CI)", "p", "Over the other sources (95% CI)", "p"),
            gains, "Gain: AUC with the source minus AUC without it; p of the paired DeLong test. From " + v.from()
                + "."),
        Table.of("What each source is worth at today's approval rate (" + Fmt.percent(v.approvalRate(), 2) + ")",
            List.of("Source", "Bads avoided per 1,000 approvals", "Extra approvals per 1,000",
                "Net value per 1,000 applications", "Verdict"), worth,
            "Verdict: not significant when p over the other sources is 0.05 or more; otherwise pays when the gain "
                + "over the other sources and the net value (profit gained minus the source's cost) are both positive."));
  }

  private static Cell gain(ReportSection.AucGain g) {
    return Cell.num(Fmt.signed(g.gain(), 4) + " (" + Fmt.signed(g.ciLow(), 4) + " to " + Fmt.signed(g.ciHigh(), 4)
        + ")");
  }

  static Table sourceStability(SourceStability st) {
    List<List<Cell>> rows = new ArrayList<>();
    for (FeatureCsi f : st.features()) {
      rows.add(List.of(Cell.text(f.feature()), Cell.num(Fmt.count(f.baselineRows())),
          Cell.num(Fmt.count(f.currentRows())), Cell.num(Fmt.decimal(f.csi(), 3)), Cell.light(Psi.light(f.csi()))));
    }
    return Table.of("CSI of " + st.current() + " against " + st.baseline(), List.of("Feature", "Baseline rows",
        "Current rows", "CSI", "Band"), rows, "Rows with a value (a null feature is left out). Bands as for PSI: "
            + "below 0.10 stable, 0.10 to 0.25 watch, above 0.25 shifted.");
  }

  static Table trends(Trends t) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Trend tr : t.trends()) {
      for (TrendPoint p : tr.points()) {
        String ci = p.low() == null || p.high() == null ? "-"
            : Fmt.decimal(p.low(), 4) + " - " + Fmt.decimal(p.high(), 4);
        rows.add(List.of(Cell.text(tr.title()), Cell.text(p.asOfDate()), Cell.num(Fmt.decimal(p.value(), 4)),
            Cell.num(ci), Cell.light(p.light())));
      }
    }
    String note = t.missing().isEmpty() ? null : "Not in the history: " + String.join("; ", t.missing()) + ".";
    return Table.of("Every indicator by as-of date", List.of("Indicator", "As of", "Value", "95% interval", "Light"),
        rows, note);
  }

  /** Row indexes to show: evenly spaced over the curve, with both ends and {@code keep} (if >= 0). */
  static List<Integer> thin(int size, int max, int keep) {
    TreeSet<Integer> idx = new TreeSet<>();
    if (size <= max) {
      for (int i = 0; i < size; i++) {
        idx.add(i);
      }
      return new ArrayList<>(idx);
    }
    for (int k = 0; k < max; k++) {
      idx.add((int) Math.round(k * (size - 1) / (double) (max - 1)));
    }
    if (keep >= 0) {
      idx.add(keep);
    }
    return new ArrayList<>(idx);
  }

  private static String thinNote(int all, int shown) {
    return shown < all ? shown + " of " + Fmt.count(all) + " points, evenly spaced; the chart shows them all." : null;
  }

  /**
   * A hidden cell's row: its label cells, then the suppression note where its count was, then
   * {@code blanks} empty figures and the trailing cells (a light column shows "-").
   */
  private static List<Cell> suppressed(SmallCells cells, List<Cell> label, int blanks, Cell... trailing) {
    List<Cell> row = new ArrayList<>(label);
    row.add(Cell.num(cells.label()));
    for (int i = 0; i < blanks; i++) {
      row.add(Cell.num(""));
    }
    row.addAll(List.of(trailing));
    return row;
  }

  /** A row drawn highlighted: its cells carry the "mark" class. */
  private static List<Cell> mark(boolean marked, List<Cell> row) {
    return marked ? row.stream().map(Cell::marked).toList() : row;
  }
}
