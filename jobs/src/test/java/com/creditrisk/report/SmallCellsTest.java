package com.creditrisk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.report.ReportSection.Calibration;
import com.creditrisk.report.ReportSection.GradeCalibration;
import com.creditrisk.report.ReportSection.MobPoint;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The small-cell rule on a hand-made report: in every sectioned table one cell of 3 rows between
 * cells of 50, each small cell carrying a figure found nowhere else on the page, so its absence
 * proves it is not shown.
 */
class SmallCellsTest {
  private static final SmallCells TEN = new SmallCells(10);
  private static final String SUPPRESSED = "suppressed (n &lt; 10)";

  /** Bins of 3, 50, 50 and 4 rows: the 3 pool with the next bin, the top 4 join the last pool. */
  private static ScoreDistribution distribution() {
    return new ScoreDistribution("Score (points)", List.of(new ScoreBin(500, 550, 2, 1),
        new ScoreBin(550, 600, 30, 20), new ScoreBin(600, 650, 45, 5), new ScoreBin(650, 700, 4, 0)));
  }

  /** Grade 2 has 3 rows: mean PD 12.34%, observed 66.67%. */
  private static Calibration calibration() {
    return new Calibration(List.of(
        new GradeCalibration("1", 50, 2, 0.031, 0.04, 0.008, 0.12, 0.41, TrafficLight.GREEN),
        new GradeCalibration("2", 3, 2, 0.1234, 0.6667, 0.21, 0.95, 0.0123, TrafficLight.RED),
        new GradeCalibration("3", 50, 10, 0.18, 0.2, 0.11, 0.32, 0.52, TrafficLight.GREEN)), 0.3);
  }

  /** The strictest cutoff approves 3 applications, at a bad rate of 67.89%. */
  private static Strategy strategy(double chosen) {
    return new Strategy("Score (points)", List.of(new StrategyCurve("all", List.of(
        new StrategyPoint(600, 100, 1.0, 0.15, 0.19), new StrategyPoint(650, 50, 0.5, 0.08, 0.13),
        new StrategyPoint(700, 3, 0.03, 0.6789, 0.97)), chosen, 0.1)));
  }

  /** Month 2025-02 has 3 applications and a PSI of 0.777. */
  private static Psi psi() {
    return new Psi("the first month, 2025-01", List.of(new MonthPsi("2025-02", 3, 0.777),
        new MonthPsi("2025-03", 50, 0.045)));
  }

  /** Vintage 2025-02 has 3 loans, bad rate 78.9% after two months. */
  private static Vintages vintages() {
    return new Vintages(List.of(
        new VintageCurve("2025-01", 50, List.of(new MobPoint(1, 0.02), new MobPoint(2, 0.04))),
        new VintageCurve("2025-02", 3, List.of(new MobPoint(1, 0.3456), new MobPoint(2, 0.789)))));
  }

  private static ReportModel model() {
    return ReportFixtures.model("Validation report: small cells", List.of(distribution(), calibration(),
        strategy(650), psi(), vintages()));
  }

  private static final List<String> SMALL_FIGURES = List.of("12.34%", "66.67%", "21.00% - 95.00%", "67.89%", "0.777",
      "34.6%", "78.9%", "500-550", "650-700");

  @Test
  void smallCellsShowNoFigureAndSaySuppressed() {
    String open = new ReportRenderer(SmallCells.NONE).render(model());
    String html = new ReportRenderer(TEN).render(model());
    for (String figure : SMALL_FIGURES) {
      assertTrue(open.contains(figure), "the fixture shows " + figure + " without the rule");
      assertFalse(html.contains(figure), figure + " of a small cell is shown");
    }
    // Grade 2, the 700 cutoff row, month 2025-02 and vintage 2025-02; the bins are merged instead.
    assertEquals(4, html.split(Pattern.quote(SUPPRESSED), -1).length - 1, html);
    assertTrue(html.contains("<td>2</td><td class=\"num\">" + SUPPRESSED + "</td>"), html);
    assertTrue(html.contains("<td>2025-02</td><td class=\"num\">" + SUPPRESSED + "</td>"), html);
    assertTrue(html.contains("<td>500-600</td><td class=\"num\">32</td><td class=\"num\">21</td>"), html);
    assertTrue(html.contains("<td>600-700</td><td class=\"num\">49</td><td class=\"num\">5</td>"), html);
  }

  @Test
  void withZeroOrOneEveryCellIsShownByteForByte() {
    for (ReportModel m : List.of(model(), ReportFixtures.full())) {
      String open = new ReportRenderer(SmallCells.NONE).render(m);
      assertEquals(open, new ReportRenderer(new SmallCells(0)).render(m));
      assertEquals(open, new ReportRenderer(new SmallCells(1)).render(m));
    }
    assertFalse(new SmallCells(1).hides(0));
    assertTrue(TEN.hides(9));
    assertFalse(TEN.hides(10));
  }

  @Test
  void chartsLeaveOutTheSuppressedCells() {
    Calibration c = (Calibration) TEN.chartable(TEN.shown(calibration()));
    assertEquals(List.of("1", "3"), c.grades().stream().map(GradeCalibration::grade).toList());
    Psi p = (Psi) TEN.chartable(TEN.shown(psi()));
    assertEquals(List.of("2025-03"), p.months().stream().map(MonthPsi::month).toList());
    Vintages v = (Vintages) TEN.chartable(TEN.shown(vintages()));
    assertEquals(List.of("2025-01"), v.vintages().stream().map(VintageCurve::disbursementMonth).toList());
    Strategy s = (Strategy) TEN.chartable(TEN.shown(strategy(650)));
    assertEquals(List.of(600.0, 650.0), s.curves().get(0).points().stream().map(StrategyPoint::cutoff).toList());
    assertEquals(650.0, s.curves().get(0).chosenCutoff());
    ScoreDistribution d = (ScoreDistribution) TEN.shown(distribution());
    assertEquals(List.of(new ScoreBin(500, 600, 32, 21), new ScoreBin(600, 700, 49, 5)), d.bins());
  }

  @Test
  void aChosenCutoffOfFewApprovalsIsNeitherListedNorMarked() {
    Strategy s = (Strategy) TEN.chartable(TEN.shown(strategy(700)));
    assertNull(s.curves().get(0).chosenCutoff());
    String html = new ReportRenderer(TEN).render(ReportFixtures.model("t", List.of(strategy(700))));
    assertTrue(html.contains("<td>all</td><td class=\"num\">10.0%</td><td class=\"num\">" + SUPPRESSED + "</td>"),
        html);
    assertFalse(html.contains("67.89%"), html);
  }

  @Test
  void aSectionOfOnlySmallCellsSaysWhyItIsNotShown() {
    Psi small = new Psi("the first month, 2025-01", List.of(new MonthPsi("2025-02", 3, 0.777)));
    assertInstanceOf(NotAvailable.class, TEN.shown(small));
    String html = new ReportRenderer(TEN).render(ReportFixtures.model("t", List.of(small)));
    assertTrue(html.contains("Not available: every cell has fewer than 10 rows (privacy.min_cell_count)"), html);
    assertFalse(html.contains("0.777"), html);
  }

  @Test
  void metricsJsonListsEveryHiddenCellWithItsExactCount() {
    Map<String, Object> json = TEN.json(model());
    assertEquals(10, json.get("min_cell_count"));
    assertEquals(List.of(
        cell("score_distribution", "score bin 500-550", 3, "merged into 500-600"),
        cell("score_distribution", "score bin 650-700", 4, "merged into 600-700"),
        cell("calibration", "grade 2", 3, "suppressed"),
        cell("strategy", "segment all, cutoff 700", 3, "suppressed"),
        cell("psi", "month 2025-02", 3, "suppressed"),
        cell("vintage", "disbursed 2025-02", 3, "suppressed")), json.get("cells"));
    assertEquals(List.of(), SmallCells.NONE.json(model()).get("cells"));
  }

  private static Map<String, Object> cell(String section, String cell, long n, String shownAs) {
    return Map.of("section", section, "cell", cell, "n", n, "shown_as", shownAs);
  }
}
