package com.creditrisk.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.report.ReportSection.Calibration;
import com.creditrisk.report.ReportSection.GradeCalibration;
import com.creditrisk.report.ReportSection.Ks;
import com.creditrisk.report.ReportSection.MonthPsi;
import com.creditrisk.report.ReportSection.NotAvailable;
import com.creditrisk.report.ReportSection.Psi;
import com.creditrisk.report.ReportSection.Roc;
import com.creditrisk.report.ReportSection.RocCurve;
import com.creditrisk.report.ReportSection.ScoreDistribution;
import com.creditrisk.report.ReportSection.Strategy;
import com.creditrisk.report.ReportSection.StrategyCurve;
import com.creditrisk.report.ReportSection.VintageCurve;
import com.creditrisk.report.ReportSection.Vintages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md, "Data protection": every value that comes from data is escaped where it is rendered.
 * Each text field of a report model, in every section, carries a script tag and an image with an
 * onerror handler; the page must hold neither as markup, in the HTML or in the charts' SVG.
 */
class ReportEscapingTest {
  static final String SCRIPT = "<script>alert('x')</script>";
  static final String IMG = "<img src=x onerror=alert(1)>";

  private static String hostile(String what) {
    return what + " " + SCRIPT + " " + IMG;
  }

  /** No tag of the payloads survives as markup: case aside, no "<script" and no "<img". */
  static void assertNoMarkupSurvives(String html) {
    String lower = html.toLowerCase(Locale.ROOT);
    assertFalse(lower.contains("<script"), "a <script> tag survives");
    assertFalse(lower.contains("<img"), "an <img> tag survives");
    assertFalse(lower.contains("onerror=alert(1)>"), "an unescaped onerror attribute survives");
  }

  @Test
  void everyTextFieldOfEverySectionIsEscapedInTheHtmlAndTheCharts() {
    ReportModel base = ReportFixtures.full();
    List<RocCurve> curves = new ArrayList<>();
    ReportFixtures.roc().curves().forEach(c -> curves.add(new RocCurve(hostile("model " + c.model()), c.points(),
        c.auc(), c.aucLow(), c.aucHigh())));
    Ks ks = ReportFixtures.ks();
    ScoreDistribution dist = ReportFixtures.distribution();
    List<GradeCalibration> grades = new ArrayList<>();
    ReportFixtures.calibration().grades().forEach(g -> grades.add(new GradeCalibration(hostile("segment " + g.grade()),
        g.n(), g.defaults(), g.meanPd(), g.observedRate(), g.lower(), g.upper(), g.pValue(), g.light())));
    List<StrategyCurve> strategy = new ArrayList<>();
    ReportFixtures.strategy().curves().forEach(c -> strategy.add(new StrategyCurve(hostile("product " + c.segment()),
        c.points(), c.chosenCutoff(), c.targetBadRate())));
    List<MonthPsi> months = new ArrayList<>();
    ReportFixtures.psi().months().forEach(m -> months.add(new MonthPsi(hostile("channel " + m.month()), m.n(),
        m.psi())));
    List<VintageCurve> vintages = new ArrayList<>();
    ReportFixtures.vintages().vintages().forEach(v -> vintages.add(new VintageCurve(hostile(v.disbursementMonth()),
        v.loans(), v.points())));
    ReportModel model = new ReportModel(hostile("title"), hostile("subtitle"), base.generatedAt(),
        new Verdict(TrafficLight.RED, hostile("verdict")),
        List.of(new HeadlineMetric(hostile("column"), hostile("value"), TrafficLight.AMBER, hostile("threshold"))),
        List.of(new Roc(curves), new Ks(hostile("score column"), ks.points(), ks.ks(), ks.ksScore()),
            new ScoreDistribution(hostile("score column"), dist.bins()),
            new Calibration(grades, ReportFixtures.calibration().portfolioPValue()),
            new Strategy(hostile("score column"), strategy), new Psi(hostile("baseline"), months),
            new Vintages(vintages), new ReportSection.SourceValues(1, 0.5, hostile("file"),
                ReportFixtures.sourceValues().sources().stream().map(w -> new ReportSection.SourceWorth(
                    hostile("source " + w.source()), w.coverage(), w.overScore(), w.overOtherSources(),
                    w.badsAvoidedPer1000(), w.extraApprovalsPer1000(), w.valuePer1000(), hostile("verdict"))).toList()),
            new ReportSection.SourceStability(hostile("baseline"), hostile("current"),
                ReportFixtures.sourceStability().features().stream().map(f -> new ReportSection.FeatureCsi(
                    hostile("feature " + f.feature()), f.baselineRows(), f.currentRows(), f.csi())).toList())));
    String html = new ReportRenderer(SmallCells.NONE).render(model);
    assertNoMarkupSurvives(html);
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the payload is shown as text");
    String svg = html.substring(html.indexOf("<svg "), html.lastIndexOf("</svg>"));
    assertTrue(svg.contains("&lt;img src=x onerror=alert(1)&gt;"), "the charts' legends carry it as text too");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        || html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "the script is shown as text");
  }

  @Test
  void theReasonASectionIsNotAvailableIsEscaped() {
    ReportModel model = ReportFixtures.model("Validation report", List.of(
        new NotAvailable(SectionKind.PSI, hostile("no baseline for segment"))));
    assertNoMarkupSurvives(new ReportRenderer(SmallCells.NONE).render(model));
  }
}
