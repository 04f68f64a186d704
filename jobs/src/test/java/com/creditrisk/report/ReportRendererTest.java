package com.creditrisk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(/?)>");
  private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "input", "link", "col", "wbr");

  private static ReportRenderer renderer;
  private static String full;

  @BeforeAll
  static void renderOnce() {
    renderer = new ReportRenderer(SmallCells.NONE);
    full = renderer.render(ReportFixtures.full());
  }

  @Test
  void rendersOneInlineSvgPerChartAndTheVerdictBeforeThem() {
    assertEquals(8, count(full, "<svg "), "one inline SVG per chart: one per section, two for the strategy");
    assertEquals(8, count(full, "</svg>"));
    int verdict = full.indexOf(ReportFixtures.VERDICT_REASON);
    assertTrue(verdict > 0, "verdict reason shown");
    assertTrue(full.contains("class=\"badge amber\">amber</span>"), "verdict badge in the verdict's colour");
    assertTrue(verdict < full.indexOf("<svg "), "verdict before the first chart");
    assertTrue(full.indexOf("id=\"summary\"") < full.indexOf("<svg "), "summary table before the first chart");
    for (SectionKind kind : SectionKind.values()) {
      if (kind != SectionKind.TRENDS) {
        assertTrue(full.contains(">" + kind.title() + "</h2>"), "heading of " + kind);
      }
    }
  }

  @Test
  void aMonitoringReportDrawsOneChartPerTrendAndTabulatesEveryPointWithItsLight() {
    String html = renderer.render(ReportFixtures.monitoring());
    assertEquals(2, count(html, "<svg "), "one chart per trend");
    assertTrue(html.contains(">" + SectionKind.TRENDS.title() + "</h2>"));
    assertTrue(html.indexOf(ReportFixtures.MONITORING_REASON) < html.indexOf("<svg "), "verdict reason first");
    assertTrue(html.contains("class=\"badge red\">red</span>"), "red verdict badge");
    assertTrue(html.contains("<td>scorecard, all: AUC out of time</td><td>2025-12-31</td><td class=\"num\">0.7010"
        + "</td><td class=\"num\">0.6830 - 0.7190</td><td><span class=\"light red\">red</span>"), "last AUC row");
    assertTrue(html.contains("Not in the history: approval rate at the chosen cutoff"), "missing indicators said");
    assertBalanced(html);
  }

  @Test
  void isWellFormedHtml() {
    assertTrue(full.startsWith("<!DOCTYPE html>"), full.substring(0, 40));
    assertBalanced(full);
  }

  @Test
  void loadsNothingFromOutsideThePage() {
    assertFalse(Pattern.compile("https?://").matcher(full).find(), "no absolute URL of any kind");
    assertFalse(full.contains("<script"), "no script");
    assertFalse(full.contains("<link"), "no linked stylesheet");
    assertFalse(full.contains("@import"), "no imported stylesheet");
    assertFalse(full.contains("<img"), "no image");
    assertFalse(Pattern.compile("url\\((?!#)").matcher(full).find(), "url() only to ids inside the page");
    assertFalse(Pattern.compile("\\s(src|xlink:href)=").matcher(full).find(), "no src or xlink:href attribute");
  }

  @Test
  void escapesTextFromTheModel() {
    String hostile = "<script>alert('x')</script> & \"co\"";
    ReportModel model = new ReportModel(hostile, "run <b>1</b>", ReportFixtures.full().generatedAt(),
        new Verdict(TrafficLight.RED, "AUC < 0.65 & PSI > 0.25"),
        List.of(new HeadlineMetric("<i>AUC</i>", "0.6", TrafficLight.RED, "green >= 0.70")),
        List.of(new ReportSection.Roc(List.of(new ReportSection.RocCurve("<script>m</script>",
            ReportFixtures.roc().curves().get(0).points(), 0.6, null, null)))));
    String html = renderer.render(model);
    assertFalse(html.contains("<script"), "no markup from the model survives");
    assertFalse(html.contains("<b>1</b>"));
    assertFalse(html.contains("<i>AUC</i>"));
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"), "title escaped");
    assertTrue(html.contains("AUC &lt; 0.65 &amp; PSI &gt; 0.25"), "verdict escaped");
    assertTrue(html.contains("&lt;script&gt;m&lt;/script&gt;"), "model name escaped in the table");
    assertBalanced(html);
  }

  @Test
  void showsWhyASectionIsNotAvailableAndOmitsAbsentOnes() {
    ReportModel model = ReportFixtures.model("Partial report", List.of(ReportFixtures.roc(),
        new ReportSection.NotAvailable(SectionKind.PSI, "no baseline sample was given (--baseline)"),
        ReportFixtures.calibration()));
    String html = renderer.render(model);
    assertEquals(2, count(html, "<svg "), "charts of the two sections with data");
    assertTrue(html.contains("Not available: no baseline sample was given (--baseline)"));
    assertTrue(html.contains("id=\"sec-psi\""));
    assertFalse(html.contains("id=\"sec-vintage\""), "a section left out of the model is not shown");
    assertFalse(html.contains(SectionKind.VINTAGE.title()));
    assertBalanced(html);
  }

  @Test
  void rendersAModelWithNoSectionsAndNoHeadline() {
    ReportModel model = new ReportModel("Empty", "", ReportFixtures.full().generatedAt(),
        new Verdict(TrafficLight.GREEN, "nothing to judge"), List.of(), List.of());
    String html = renderer.render(model);
    assertTrue(html.contains("nothing to judge"));
    assertEquals(0, count(html, "<svg"));
    assertFalse(html.contains("<nav>"));
    assertBalanced(html);
  }

  @Test
  void rendersSectionsOfOnePointEach() {
    ReportModel model = ReportFixtures.model("One point each", List.of(
        new ReportSection.Roc(List.of(new ReportSection.RocCurve("m", List.of(new ReportSection.Point(0, 0),
            new ReportSection.Point(1, 1)), 0.5, null, null))),
        new ReportSection.Ks("score", List.of(new ReportSection.KsPoint(600, 1, 1)), 0, 600),
        new ReportSection.ScoreDistribution("score", List.of(new ReportSection.ScoreBin(Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, 10, 0))),
        new ReportSection.Calibration(List.of(new ReportSection.GradeCalibration("1", 10, 0, 0.01, 0, 0, 0.2, 0.9,
            null)), null),
        new ReportSection.Strategy("score", List.of(new ReportSection.StrategyCurve("all",
            List.of(new ReportSection.StrategyPoint(600, 10, 1, 0, null)), null, null))),
        new ReportSection.Psi("baseline", List.of(new ReportSection.MonthPsi("2025-01", 10, 0))),
        new ReportSection.Vintages(List.of(new ReportSection.VintageCurve("2025-01", 10,
            List.of(new ReportSection.MobPoint(1, 0)))))));
    String html = renderer.render(model);
    assertEquals(8, count(html, "<svg "));
    assertTrue(html.contains("none qualifies"), "a segment without a qualifying cutoff says so");
    assertBalanced(html);
  }

  @Test
  void showsSectionsInReportOrderWhateverTheModelOrder() {
    ReportModel model = ReportFixtures.model("Order", List.of(ReportFixtures.vintages(), ReportFixtures.psi(),
        ReportFixtures.roc()));
    String html = renderer.render(model);
    int roc = html.indexOf("id=\"sec-roc\"");
    int psi = html.indexOf("id=\"sec-psi\"");
    int vintage = html.indexOf("id=\"sec-vintage\"");
    assertTrue(roc > 0 && roc < psi && psi < vintage, roc + " < " + psi + " < " + vintage);
  }

  @Test
  void sameModelGivesTheSameBytes() {
    assertEquals(full, renderer.render(ReportFixtures.full()));
  }

  @Test
  void givesEachChartItsOwnClipIds() {
    Matcher m = Pattern.compile("<clipPath id=\"([^\"]+)\"").matcher(full);
    Set<String> ids = new java.util.HashSet<>();
    int n = 0;
    while (m.find()) {
      ids.add(m.group(1));
      n++;
    }
    assertTrue(n > 0);
    assertEquals(n, ids.size(), "clip-path ids unique across the page");
  }

  @Test
  void rendersInAHeadlessJvm() {
    assertTrue(GraphicsEnvironment.isHeadless(), "charts are drawn without a display");
  }

  @Test
  void rejectsTwoSectionsOfOneKind() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportFixtures.model("Twice", List.of(ReportFixtures.psi(), ReportFixtures.psi())));
    assertEquals("Invalid report model: section PSI appears twice; give each kind once", e.getMessage());
  }

  @Test
  void rejectsASectionWithoutData() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReportSection.Psi("baseline", List.of()));
    assertEquals("Invalid report model: no PSI months; use ReportSection.NotAvailable to say why the section has "
        + "no data", e.getMessage());
  }

  @Test
  void rejectsAChartedValueThatIsNotFinite() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReportSection.MonthPsi("2025-03", 10, Double.NaN));
    assertEquals("Invalid report model: PSI of 2025-03 has a value of NaN; charted values must be finite",
        e.getMessage());
  }

  @Test
  void drawsGoodsAndBadsInTheirOwnColoursInEveryChartThatShowsBoth() {
    for (String id : List.of("sec-ks", "sec-score-distribution")) {
      String svg = svgOf(full, id);
      assertTrue(svg.contains(rgb(ChartStyle.GOOD)), id + " draws goods in the goods colour");
      assertTrue(svg.contains(rgb(ChartStyle.BAD)), id + " draws bads in the bads colour");
    }
    assertTrue(full.contains("--good: #2b6cb0; --bad: #dd6b20;"), "the page's keys use the charts' colours");
  }

  @Test
  void colorsPsiBarsByTheConventionalBands() {
    assertEquals(TrafficLight.GREEN, ReportSection.Psi.light(0.0999));
    assertEquals(TrafficLight.AMBER, ReportSection.Psi.light(0.10));
    assertEquals(TrafficLight.AMBER, ReportSection.Psi.light(0.25));
    assertEquals(TrafficLight.RED, ReportSection.Psi.light(0.2501));
    String svg = svgOf(full, "sec-psi");
    assertTrue(svg.contains(rgb(ChartStyle.GREEN)) && svg.contains(rgb(ChartStyle.AMBER)), "green and amber bars");
  }

  private static String svgOf(String html, String sectionId) {
    int section = html.indexOf("id=\"" + sectionId + "\"");
    assertTrue(section > 0, sectionId);
    int start = html.indexOf("<svg ", section);
    return html.substring(start, html.indexOf("</svg>", start));
  }

  private static String rgb(java.awt.Color c) {
    return "rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
  }

  @Test
  void thinsLongCurvesInTablesButKeepsTheMarkedPoint() {
    assertEquals(List.of(0, 1, 2), SectionViews.thin(3, 15, -1));
    List<Integer> rows = SectionViews.thin(200, 5, 77);
    assertEquals(List.of(0, 50, 77, 100, 149, 199), rows);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Every element closed, in order (HTML void elements and self-closed SVG elements aside). */
  static void assertBalanced(String html) {
    String body = html.replaceAll("(?s)<!--.*?-->", "").replaceFirst("<!DOCTYPE html>", "");
    body = body.replaceAll("(?s)<style>.*?</style>", "<style></style>");
    Deque<String> open = new ArrayDeque<>();
    Matcher m = TAG.matcher(body);
    while (m.find()) {
      String name = m.group(2).toLowerCase(java.util.Locale.ROOT);
      boolean closing = !m.group(1).isEmpty();
      boolean selfClosed = !m.group(4).isEmpty() || m.group(3).endsWith("/");
      if (closing) {
        String top = open.pollFirst();
        int at = m.start();
        String context = body.substring(Math.max(0, at - 120), Math.min(body.length(), at + 10));
        assertEquals(top, name, () -> "closing </" + name + "> at " + at + " but <" + top + "> is open: ..." + context);
      } else if (!selfClosed && !VOID.contains(name)) {
        open.push(name);
      }
    }
    assertTrue(open.isEmpty(), "unclosed elements: " + open);
  }
}
