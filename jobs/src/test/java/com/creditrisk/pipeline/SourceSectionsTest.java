package com.creditrisk.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.report.ReportModel;
import com.creditrisk.report.ReportRenderer;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SectionKind;
import com.creditrisk.report.SmallCells;
import com.creditrisk.report.TrafficLight;
import com.creditrisk.report.Verdict;
import com.creditrisk.run.SourcesFile;
import com.creditrisk.validation.Stability;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The "Value of each data source" and source CSI sections, built from a hand-written sources.json
 * (the shape evaluate-sources writes) and from known CSI figures, and rendered. No Spark.
 */
class SourceSectionsTest {
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  static final String RUN_DIR = "wh/runs/2025-12-31-abc";

  /** Two sources: bureau pays; device is not significant and its extra approvals are undefined (NaN). */
  static final String SOURCES_JSON = """
      {"run_id": "2025-12-31-abc", "command": "evaluate-sources", "as_of_date": "2025-12-31",
       "model_dataset": {"path": "wh/model_dataset", "delta_version": 7},
       "rows": 711, "approval_rate_today": 0.7587,
       "sources": [
        {"source": "bureau", "coverage": 0.8,
         "over_score": {"without": "score", "with": "score+bureau", "n": 711, "n_bad": 80, "auc_without": 0.68,
           "auc_with": 0.7112, "auc_difference": 0.0312, "auc_difference_ci95": [0.0112, 0.0512], "p_value": 0.0022},
         "over_other_sources": {"without": "score+device", "with": "all", "n": 711, "n_bad": 80,
           "auc_without": 0.681, "auc_with": 0.71, "auc_difference": 0.029, "auc_difference_ci95": [0.009, 0.049],
           "p_value": 0.0046},
         "at_todays_approval_rate": {"bads_avoided_per_1000_approvals": 12.5,
           "extra_approvals_per_1000_applications": 40.0},
         "cost_per_application": 0.4, "net_value_per_1000_applications": 830.5, "verdict": "pays"},
        {"source": "device", "coverage": 0.95,
         "over_score": {"without": "score", "with": "score+device", "n": 711, "n_bad": 80, "auc_without": 0.68,
           "auc_with": 0.678, "auc_difference": -0.002, "auc_difference_ci95": [-0.01, 0.006], "p_value": 0.62},
         "over_other_sources": {"without": "score+bureau", "with": "all", "n": 711, "n_bad": 80,
           "auc_without": 0.7112, "auc_with": 0.71, "auc_difference": -0.0012, "auc_difference_ci95": [-0.008, 0.0056],
           "p_value": 0.73},
         "at_todays_approval_rate": {"bads_avoided_per_1000_approvals": -0.5,
           "extra_approvals_per_1000_applications": "NaN"},
         "cost_per_application": 0.1, "net_value_per_1000_applications": -130.25, "verdict": "not significant"}]}
      """;

  static SourcesFile file() throws Exception {
    return SourcesFile.parse(new ObjectMapper().readTree(SOURCES_JSON));
  }

  @Test
  void buildsTheSectionFromTheRunsSourcesJson() throws Exception {
    ReportSection.SourceValues v = assertInstanceOf(ReportSection.SourceValues.class,
        ValidationSections.sourceValues(AS_OF, RUN_DIR, Optional.of(file())));
    assertEquals(711, v.loans());
    assertEquals(0.7587, v.approvalRate());
    assertEquals("runs/2025-12-31-abc/sources.json, model_dataset version 7", v.from());
    assertEquals(List.of(
        new ReportSection.SourceWorth("bureau", 0.8, new ReportSection.AucGain(0.0312, 0.0112, 0.0512, 0.0022),
            new ReportSection.AucGain(0.029, 0.009, 0.049, 0.0046), 12.5, 40.0, 830.5, "pays"),
        new ReportSection.SourceWorth("device", 0.95, new ReportSection.AucGain(-0.002, -0.01, 0.006, 0.62),
            new ReportSection.AucGain(-0.0012, -0.008, 0.0056, 0.73), -0.5, Double.NaN, -130.25,
            "not significant")),
        v.sources());
  }

  @Test
  void isNotAvailableWithoutSourcesJsonOrWithAnUndefinedGain() throws Exception {
    ReportSection.NotAvailable absent = assertInstanceOf(ReportSection.NotAvailable.class,
        ValidationSections.sourceValues(AS_OF, RUN_DIR, Optional.empty()));
    assertEquals(SectionKind.SOURCE_VALUE, absent.kind());
    assertEquals("no sources.json in wh/runs/2025-12-31-abc (run evaluate-sources --as-of 2025-12-31 first, or "
        + "run, which does)", absent.reason());
    SourcesFile oneClass = SourcesFile.parse(new ObjectMapper().readTree(
        SOURCES_JSON.replace("\"auc_difference\": 0.0312", "\"auc_difference\": \"NaN\"")));
    ReportSection.NotAvailable undefined = assertInstanceOf(ReportSection.NotAvailable.class,
        ValidationSections.sourceValues(AS_OF, RUN_DIR, Optional.of(oneClass)));
    assertTrue(undefined.reason().startsWith("the AUC gain of source bureau is undefined"), undefined.reason());
  }

  @Test
  void rendersTheChartOfAucGainAndTheTableOfValues() throws Exception {
    String html = render(ValidationSections.sourceValues(AS_OF, RUN_DIR, Optional.of(file())));
    String s = section(html, "sec-source-value");
    assertTrue(s.contains("<h2>Value of each data source</h2>"), s);
    assertEquals(1, s.split("<svg ", -1).length - 1, "one chart");
    assertTrue(s.contains("AUC gain of each source with its 95% CI (paired DeLong), out of time on 711 loans"), s);
    assertTrue(s.contains("at today&#39;s approval rate (75.87%)"), s);
    assertTrue(s.contains("<td>bureau</td><td class=\"num\">80.0%</td><td class=\"num\">+0.0312 (+0.0112 to "
        + "+0.0512)</td><td class=\"num\">0.002</td><td class=\"num\">+0.0290 (+0.0090 to +0.0490)</td>"
        + "<td class=\"num\">0.005</td></tr>"), s);
    assertTrue(s.contains("<td>bureau</td><td class=\"num\">+12.5</td><td class=\"num\">+40.0</td>"
        + "<td class=\"num\">+830.50</td><td>pays</td></tr>"), s);
    assertTrue(s.contains("<td>device</td><td class=\"num\">-0.5</td><td class=\"num\">n/a</td>"
        + "<td class=\"num\">-130.25</td><td>not significant</td></tr>"), "an undefined figure reads n/a: " + s);
  }

  @Test
  void rendersTheCsiOfEachSourceFeatureWithItsBand() {
    Map<String, Stability.Psi> csi = new LinkedHashMap<>();
    csi.put("bureau__count_30d", new Stability.Psi(0.0421, "stable", 900, 1200, List.of()));
    csi.put("device__age_days", new Stability.Psi(0.1734, "watch", 850, 1100, List.of()));
    ReportSection st = ValidationSections.sourceStability(csi, AS_OF);
    assertEquals(new ReportSection.SourceStability(ValidationSections.CSI_BASELINE, ValidationSections.CSI_CURRENT,
        List.of(new ReportSection.FeatureCsi("bureau__count_30d", 900, 1200, 0.0421),
            new ReportSection.FeatureCsi("device__age_days", 850, 1100, 0.1734))), st);
    String s = section(render(st), "sec-source-csi");
    assertTrue(s.contains("<svg "), "the CSI bar chart");
    assertTrue(s.contains("<td>bureau__count_30d</td><td class=\"num\">900</td><td class=\"num\">1,200</td>"
        + "<td class=\"num\">0.042</td><td><span class=\"light green\">green</span></td>"), s);
    assertTrue(s.contains("<td>device__age_days</td><td class=\"num\">850</td><td class=\"num\">1,100</td>"
        + "<td class=\"num\">0.173</td><td><span class=\"light amber\">amber</span></td>"), s);
    assertEquals(SectionKind.SOURCE_CSI, ValidationSections.sourceStability(Map.of(), AS_OF).kind());
  }

  private static String render(ReportSection section) {
    return new ReportRenderer(SmallCells.NONE).render(new ReportModel("Sources", "", Instant.EPOCH,
        new Verdict(TrafficLight.GREEN, "every counted check is green"), List.of(), List.of(section)));
  }

  private static String section(String html, String id) {
    int start = html.indexOf("id=\"" + id + "\"");
    assertTrue(start >= 0, "section " + id + " is in the report");
    return html.substring(start, html.indexOf("</section>", start));
  }
}
