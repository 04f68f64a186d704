package com.creditrisk.report;

import com.creditrisk.report.ReportSection.Calibration;
import com.creditrisk.report.ReportSection.GradeCalibration;
import com.creditrisk.report.ReportSection.MonthPsi;
import com.creditrisk.report.ReportSection.NotAvailable;
import com.creditrisk.report.ReportSection.Psi;
import com.creditrisk.report.ReportSection.ScoreBin;
import com.creditrisk.report.ReportSection.ScoreDistribution;
import com.creditrisk.report.ReportSection.Strategy;
import com.creditrisk.report.ReportSection.StrategyCurve;
import com.creditrisk.report.ReportSection.StrategyPoint;
import com.creditrisk.report.ReportSection.VintageCurve;
import com.creditrisk.report.ReportSection.Vintages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The small-cell rule of DESIGN.md ("Data protection"), defined here once and applied where a
 * report is rendered: an aggregate cell (a score bin, a grade, a cutoff row, an application
 * month, a vintage) of fewer than {@code privacy.min_cell_count} rows is not shown as such. Score
 * bins are ordered, so a small one is merged into its neighbour; every other small cell keeps its
 * row in the table, marked suppressed with none of its figures, and is left out of the chart.
 *
 * <p>Only the rendering changes: the statistics and the verdict were computed on every row
 * before this runs, and metrics.json keeps the exact counts, listing the cells under
 * {@code small_cells} ({@link #json}).
 *
 * <p>Portfolio-level figures (the headline, ROC and KS curves, the distribution's "All" row) are
 * the whole sample, not cells of it, so they are not covered.
 */
public final class SmallCells {
  /** Every cell shown: the report as it was before the rule (privacy.min_cell_count 0 or 1). */
  public static final SmallCells NONE = new SmallCells(0);

  private final int minCellCount;

  /** @param minCellCount cells of fewer rows are hidden; 0 or 1 hides none */
  public SmallCells(int minCellCount) {
    if (minCellCount < 0) {
      throw new IllegalArgumentException("Invalid min cell count: " + minCellCount + " (0 or more)");
    }
    this.minCellCount = minCellCount;
  }

  public int minCellCount() {
    return minCellCount;
  }

  /** The rule: a cell of {@code n} rows is not shown. With 0 or 1 nothing is hidden, empty cells included. */
  public boolean hides(long n) {
    return minCellCount > 1 && n < minCellCount;
  }

  /** What a table shows instead of a hidden cell's figures. */
  public String label() {
    return "suppressed (n < " + minCellCount + ")";
  }

  /**
   * The section as the report shows it: score bins merged until each holds at least the minimum,
   * and a section none of whose cells may be shown replaced by a {@link NotAvailable} saying so.
   * Other small cells stay, for the table to mark ({@link #hides}) and the chart to drop
   * ({@link #chartable}).
   */
  ReportSection shown(ReportSection s) {
    if (minCellCount <= 1) {
      return s;
    }
    if (s instanceof ScoreDistribution d) {
      long total = d.bins().stream().mapToLong(b -> b.goods() + b.bads()).sum();
      return hides(total) ? everyCellSmall(s) : new ScoreDistribution(d.scoreName(), merged(d.bins()));
    }
    if (s instanceof Calibration c) {
      return c.grades().stream().allMatch(g -> hides(g.n())) ? everyCellSmall(s) : s;
    }
    if (s instanceof Strategy st) {
      return st.curves().stream().flatMap(c -> c.points().stream()).allMatch(p -> hides(p.approved()))
          ? everyCellSmall(s) : s;
    }
    if (s instanceof Psi p) {
      return p.months().stream().allMatch(m -> hides(m.n())) ? everyCellSmall(s) : s;
    }
    if (s instanceof Vintages v) {
      return v.vintages().stream().allMatch(c -> hides(c.loans())) ? everyCellSmall(s) : s;
    }
    return s;
  }

  private NotAvailable everyCellSmall(ReportSection s) {
    return new NotAvailable(s.kind(), "every cell has fewer than " + minCellCount
        + " rows (privacy.min_cell_count), so none is shown");
  }

  /**
   * Left to right, adjacent bins are pooled until the pool holds the minimum; a small remainder at
   * the top end joins the last pool. The caller has checked that the total reaches the minimum.
   */
  private List<ScoreBin> merged(List<ScoreBin> bins) {
    List<ScoreBin> out = new ArrayList<>();
    ScoreBin pool = null;
    for (ScoreBin b : bins) {
      pool = pool == null ? b : new ScoreBin(pool.lower(), b.upper(), pool.goods() + b.goods(),
          pool.bads() + b.bads());
      if (!hides(pool.goods() + pool.bads())) {
        out.add(pool);
        pool = null;
      }
    }
    if (pool != null) {
      ScoreBin last = out.remove(out.size() - 1);
      out.add(new ScoreBin(last.lower(), pool.upper(), last.goods() + pool.goods(), last.bads() + pool.bads()));
    }
    return out;
  }

  /**
   * What the chart of a {@link #shown} section may draw: its hidden cells left out. A strategy
   * curve whose chosen cutoff is hidden loses the mark, which would otherwise jump to the nearest
   * shown point.
   */
  ReportSection chartable(ReportSection s) {
    if (minCellCount <= 1) {
      return s;
    }
    if (s instanceof Calibration c) {
      return new Calibration(c.grades().stream().filter(g -> !hides(g.n())).toList(), c.portfolioPValue());
    }
    if (s instanceof Strategy st) {
      List<StrategyCurve> curves = new ArrayList<>();
      for (StrategyCurve c : st.curves()) {
        List<StrategyPoint> points = c.points().stream().filter(p -> !hides(p.approved())).toList();
        StrategyPoint chosen = ReportCharts.chosen(c);
        if (!points.isEmpty()) {
          curves.add(new StrategyCurve(c.segment(), points,
              chosen == null || hides(chosen.approved()) ? null : c.chosenCutoff(), c.targetBadRate()));
        }
      }
      return new Strategy(st.scoreName(), curves);
    }
    if (s instanceof Psi p) {
      return new Psi(p.baseline(), p.months().stream().filter(m -> !hides(m.n())).toList());
    }
    if (s instanceof Vintages v) {
      return new Vintages(v.vintages().stream().filter(c -> !hides(c.loans())).toList());
    }
    return s;
  }

  /**
   * For metrics.json: the minimum and every cell of the model's report that is not shown as such,
   * with its exact row count and what the report shows instead. Empty when nothing is hidden.
   */
  public Map<String, Object> json(ReportModel model) {
    List<Map<String, Object>> cells = new ArrayList<>();
    for (ReportSection s : model.sections()) {
      String section = s.kind().name().toLowerCase(Locale.ROOT);
      ReportSection shown = shown(s);
      if (s instanceof ScoreDistribution d) {
        List<ScoreBin> after = shown instanceof ScoreDistribution m ? m.bins() : List.of();
        for (ScoreBin b : d.bins()) {
          if (hides(b.goods() + b.bads())) {
            String into = after.stream().filter(m -> m.lower() <= b.lower() && b.upper() <= m.upper())
                .map(m -> "merged into " + Fmt.bin(m.lower(), m.upper())).findFirst().orElse("suppressed");
            cells.add(cell(section, "score bin " + Fmt.bin(b.lower(), b.upper()), b.goods() + b.bads(), into));
          }
        }
      } else if (s instanceof Calibration c) {
        c.grades().stream().filter(g -> hides(g.n()))
            .forEach(g -> cells.add(cell(section, "grade " + g.grade(), g.n(), "suppressed")));
      } else if (s instanceof Strategy st) {
        for (StrategyCurve c : st.curves()) {
          c.points().stream().filter(p -> hides(p.approved())).forEach(p -> cells.add(cell(section,
              "segment " + c.segment() + ", cutoff " + Fmt.score(p.cutoff()), p.approved(), "suppressed")));
        }
      } else if (s instanceof Psi p) {
        p.months().stream().filter(m -> hides(m.n()))
            .forEach(m -> cells.add(cell(section, "month " + m.month(), m.n(), "suppressed")));
      } else if (s instanceof Vintages v) {
        v.vintages().stream().filter(c -> hides(c.loans())).forEach(c -> cells.add(cell(section,
            "disbursed " + c.disbursementMonth(), c.loans(), "suppressed")));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("min_cell_count", minCellCount);
    out.put("rule", "a report cell of fewer rows than min_cell_count (privacy.min_cell_count) is merged with its "
        + "neighbour (score bins) or shown as suppressed; the counts here are exact");
    out.put("cells", cells);
    return out;
  }

  private static Map<String, Object> cell(String section, String cell, long n, String shownAs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("section", section);
    m.put("cell", cell);
    m.put("n", n);
    m.put("shown_as", shownAs);
    return m;
  }
}
