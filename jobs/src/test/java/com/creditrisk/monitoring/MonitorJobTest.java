package com.creditrisk.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.validation.ValidationMetricsRows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitor} end to end on a hand-made validation_metrics table of three monthly as-of dates
 * of one model, whose lights were worked out by hand from the default thresholds:
 *
 * <pre>
 * as of        AUC (dev 0.765)      KS (dev 0.45)     PSI         observed / mean PD  CSI income  validate
 * 2026-01-31   0.760 drop 0.5 green 0.40 drop 5 green 0.05 green  0.080/0.080 = 1.00 green             green
 * 2026-02-28   0.730 drop 3.5 amber 0.34 drop 11 red  0.10 amber  0.100/0.080 = 1.25 amber             amber
 * 2026-03-31   0.710 drop 5.5 red   0.38 no card      0.26 red    0.060/0.080 = 0.75 amber 0.12 amber  red
 * </pre>
 *
 * Rows that must be left out: another config's run on 2026-03-31 (AUC 0.5), PSI of one application
 * month (0.9) and a null value. validate's verdict is kept as an indicator with the light's rank
 * as its value. The model card of the March train run is missing, so its KS has
 * no light and the report says so.
 */
class MonitorJobTest {
  private static final String JAN = "2026-01-31";
  private static final String FEB = "2026-02-28";
  private static final String MAR = "2026-03-31";

  @TempDir
  Path tmp;

  private final SparkSession spark = TestSpark.get();

  /** The warehouse of the table above; returns its path. */
  private String warehouse(String name) throws Exception {
    Path wh = tmp.resolve(name);
    String fp = conf(wh.toString()).fingerprint();
    List<Row> rows = new ArrayList<>();
    month(rows, JAN + "-" + fp, JAN, JAN + "-" + fp, 0.760, 0.740, 0.780, 0.40, 0.05, 0.080, "green");
    month(rows, FEB + "-" + fp, FEB, JAN + "-" + fp, 0.730, 0.710, 0.750, 0.34, 0.10, 0.100, "amber");
    month(rows, MAR + "-" + fp, MAR, MAR + "-" + fp, 0.710, 0.690, 0.730, 0.38, 0.26, 0.060, "red");
    rows.add(row(MAR + "-" + fp, MAR, MAR + "-" + fp, "csi=income", "csi", 0.12));
    rows.add(row(MAR + "-" + fp, MAR, MAR + "-" + fp, "application_month=2026-03", "psi", 0.9));
    rows.add(row(MAR + "-" + fp, MAR, MAR + "-" + fp, "all", "gini", null));
    rows.add(row(MAR + "-0ther000", MAR, MAR + "-0ther000", "all", "auc", 0.5));
    spark.createDataFrame(rows, ValidationMetricsRows.SCHEMA).write().format("delta").save(wh + "/validation_metrics");
    Path card = Files.createDirectories(wh.resolve("runs/" + JAN + "-" + fp)).resolve("model_card.json");
    Files.writeString(card, "{\"models\": {\"scorecard\": {\"metrics\": {\"test\": {\"auc\": 0.765, \"ks\": 0.45}}}}}");
    return wh.toString();
  }

  private static void month(List<Row> rows, String run, String asOf, String modelRun, double auc, double lo,
      double hi, double ks, double psi, double observed, String verdict) {
    rows.add(row(run, asOf, modelRun, "all", "auc", auc));
    rows.add(row(run, asOf, modelRun, "all", "auc_ci95_low", lo));
    rows.add(row(run, asOf, modelRun, "all", "auc_ci95_high", hi));
    rows.add(row(run, asOf, modelRun, "all", "development_auc", 0.765));
    rows.add(row(run, asOf, modelRun, "all", "ks", ks));
    rows.add(row(run, asOf, modelRun, "all", "psi", psi));
    rows.add(row(run, asOf, modelRun, "all", "observed_bad_rate", observed));
    rows.add(row(run, asOf, modelRun, "all", "mean_pd", 0.080));
    rows.add(row(run, asOf, modelRun, "all", "n", 5000.0));
    rows.add(RowFactory.create(run, Date.valueOf(asOf), modelRun, "scorecard", "all", "verdict", null, verdict));
  }

  private static Row row(String run, String asOf, String modelRun, String segment, String metric, Double value) {
    return RowFactory.create(run, Date.valueOf(asOf), modelRun, "scorecard", segment, metric, value, null);
  }

  private static CreditRiskConfig conf(String wh) {
    return CreditRiskConfig.defaults().with(List.of("warehouse.path=" + wh));
  }

  private record Run(int code, String out, String err) {}

  private static Run monitor(String wh, String... more) {
    List<String> args = new ArrayList<>(List.of("monitor", "--set", "warehouse.path=" + wh));
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  /** "as-of indicator" -> "value low high reference light" of monitoring_metrics. */
  private Map<String, String> table(String wh) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(wh + "/monitoring_metrics").collectAsList()) {
      String key = r.getAs("as_of_date") + " " + r.getAs("segment") + " " + r.getAs("indicator");
      String value = String.format(java.util.Locale.ROOT, "%.4f %s %s %s %s", (Double) r.getAs("value"),
          r.getAs("low"), r.getAs("high"), r.getAs("reference"), r.getAs("light"));
      assertEquals(null, out.put(key, value), "one row per as-of date, model, segment and indicator: " + key);
      assertEquals("scorecard", r.getAs("model"));
    }
    return out;
  }

  @Test
  void theTrendRowsAreTheValidationMetricsValuesWithLightsFromTheThresholds() throws Exception {
    String wh = warehouse("trend");
    Run r = monitor(wh);
    assertEquals(0, r.code(), r.err());
    Map<String, String> t = table(wh);
    assertEquals(22, t.size(), t.toString());
    assertEquals("1.0000 null null null amber", t.get(FEB + " all validation_verdict"));
    assertEquals("2.0000 null null null red", t.get(MAR + " all validation_verdict"));
    assertEquals("0.7600 0.74 0.78 0.765 green", t.get(JAN + " all auc"));
    assertEquals("0.7300 0.71 0.75 0.765 amber", t.get(FEB + " all auc"));
    assertEquals("0.7100 0.69 0.73 0.765 red", t.get(MAR + " all auc"));
    assertEquals("0.4000 null null 0.45 green", t.get(JAN + " all ks"));
    assertEquals("0.3400 null null 0.45 red", t.get(FEB + " all ks"));
    assertEquals("0.3800 null null null null", t.get(MAR + " all ks"), "no model card: no development KS, no light");
    assertEquals("0.0500 null null null green", t.get(JAN + " all psi"));
    assertEquals("0.1000 null null null amber", t.get(FEB + " all psi"));
    assertEquals("0.2600 null null null red", t.get(MAR + " all psi"));
    assertEquals("1.0000 null null 1.0 green", t.get(JAN + " all bad_rate_ratio"));
    assertEquals("1.2500 null null 1.0 amber", t.get(FEB + " all bad_rate_ratio"));
    assertEquals("0.7500 null null 1.0 amber", t.get(MAR + " all bad_rate_ratio"));
    assertEquals("0.0600 null null null null", t.get(MAR + " all observed_bad_rate"));
    assertEquals("0.0800 null null null null", t.get(MAR + " all mean_pd"));
    assertEquals("0.1200 null null null amber", t.get(MAR + " csi=income csi"));
    assertFalse(t.keySet().stream().anyMatch(k -> k.contains("application_month") || k.contains("gini")), t.toString());

    JsonNode json = new ObjectMapper().readTree(Path.of(wh, "monitoring", MAR, "monitoring.json").toFile());
    assertEquals("red", json.get("verdict").asText());
    assertEquals(JAN, json.get("from").asText());
    assertEquals(0, json.at("/input_versions/validation_metrics").asLong());
    String reason = json.get("verdict_reason").asText();
    assertTrue(reason.startsWith("red: scorecard all validation_verdict 2.0000") && reason.contains(
        "; red: scorecard all auc 0.7100 (development AUC minus AUC, in points: amber > 3.0, red > 5.0); red: "
        + "scorecard all psi 0.2600") && reason.contains("amber: scorecard all bad_rate_ratio 0.7500"), reason);
    String html = Files.readString(Path.of(wh, "monitoring", MAR, "report.html"));
    int shown = html.indexOf("red: scorecard all auc 0.7100");
    assertTrue(shown > 0 && shown < html.indexOf("<svg "), "the verdict's reason comes first");
    assertEquals(5, html.split("<svg ", -1).length - 1, "charts: AUC, KS, PSI, bad-rate ratio, CSI of income");
    assertTrue(html.contains("approval rate at the chosen cutoff: validation_metrics holds no approval_rate rows"),
        html);
    assertTrue(html.contains("development KS for some runs"), "the missing model card is said");
    assertTrue(r.out().contains("Verdict: red"), r.out());
  }

  /**
   * Approval rates at the chosen cutoff added to the history above, judged against the first date
   * monitored by the default thresholds (amber beyond 5 points, red beyond 10):
   *
   * <pre>
   * segment                       2026-01-31  2026-02-28        2026-03-31
   * all                           0.60 first  0.63 +3 green     0.52 -8 amber (from February: -11 red)
   * product,channel=paylater/web  0.50 first  0.62 +12 red      none
   * </pre>
   *
   * The cutoff and application count rows beside them are validate's context, not indicators.
   */
  @Test
  void theApprovalRateAtTheChosenCutoffMovesAgainstTheFirstDateMonitored() throws Exception {
    String wh = warehouse("approval");
    String fp = conf(wh).fingerprint();
    String web = "product,channel=paylater/web";
    List<Row> rows = new ArrayList<>();
    for (String[] r : new String[][] {{JAN, "all", "0.60"}, {FEB, "all", "0.63"}, {MAR, "all", "0.52"},
        {JAN, web, "0.50"}, {FEB, web, "0.62"}}) {
      String modelRun = (r[0].equals(MAR) ? MAR : JAN) + "-" + fp;
      rows.add(row(r[0] + "-" + fp, r[0], modelRun, r[1], "approval_rate", Double.valueOf(r[2])));
      rows.add(row(r[0] + "-" + fp, r[0], modelRun, r[1], "approval_cutoff", 560.0));
      rows.add(row(r[0] + "-" + fp, r[0], modelRun, r[1], "approval_n", 900.0));
    }
    spark.createDataFrame(rows, ValidationMetricsRows.SCHEMA).write().format("delta").mode("append")
        .save(wh + "/validation_metrics");

    Run r = monitor(wh);
    assertEquals(0, r.code(), r.err());
    Map<String, String> t = table(wh);
    assertEquals(22 + 5, t.size(), t.toString());
    assertEquals("0.6000 null null 0.6 green", t.get(JAN + " all approval_rate"));
    assertEquals("0.6300 null null 0.6 green", t.get(FEB + " all approval_rate"));
    assertEquals("0.5200 null null 0.6 amber", t.get(MAR + " all approval_rate"));
    assertEquals("0.5000 null null 0.5 green", t.get(JAN + " " + web + " approval_rate"));
    assertEquals("0.6200 null null 0.5 red", t.get(FEB + " " + web + " approval_rate"));
    assertFalse(t.keySet().stream().anyMatch(k -> k.contains("approval_cutoff") || k.contains("approval_n")),
        t.toString());
    JsonNode json = new ObjectMapper().readTree(Path.of(wh, "monitoring", MAR, "monitoring.json").toFile());
    assertTrue(json.get("verdict_reason").asText().contains("amber: scorecard all approval_rate 0.5200 (approval "
        + "rate minus the first date's, either way, in points: amber > 5.0, red > 10.0)"), json.toString());
    assertFalse(json.get("missing").toString().contains("approval rate"), json.get("missing").toString());
    assertFalse(json.get("missing").toString().contains("CSI"), json.get("missing").toString());
    String html = Files.readString(Path.of(wh, "monitoring", MAR, "report.html"));
    assertEquals(7, html.split("<svg ", -1).length - 1, "the five charts above and two of the approval rate");
    assertTrue(html.contains("Approval rate at the chosen cutoff"), "the approval charts are titled");

    Run fromFebruary = monitor(wh, "--from", FEB);
    assertEquals(0, fromFebruary.code(), fromFebruary.err());
    assertEquals("0.5200 null null 0.63 red", table(wh).get(MAR + " all approval_rate"),
        "February is the first date monitored now: 11 points down");
  }

  @Test
  void aRerunForTheSameDatesReplacesItsRowsAndLeavesOtherDatesAlone() throws Exception {
    String wh = warehouse("rerun");
    assertEquals(0, monitor(wh).code());
    Map<String, String> first = table(wh);
    assertEquals(0, monitor(wh).code());
    assertEquals(first, table(wh), "the same rows, not twice as many");
    Run marchOnly = monitor(wh, "--from", MAR, "--to", MAR, "--set", "monitoring.auc_drop.red_points=10");
    assertEquals(0, marchOnly.code(), marchOnly.err());
    Map<String, String> after = table(wh);
    assertEquals(22, after.size(), after.toString());
    assertEquals("0.7100 0.69 0.73 0.765 amber", after.get(MAR + " all auc"), "March judged again, amber now");
    assertEquals(first.get(FEB + " all auc"), after.get(FEB + " all auc"), "February left as it was");
    assertTrue(Files.isRegularFile(Path.of(wh, "monitoring", MAR, "report.html")));
  }

  @Test
  void aRerunWhoseReportCannotBeWrittenGivesItsDatesBackTheirRowsAndLeavesOtherDatesAlone() throws Exception {
    String wh = warehouse("failed");
    assertEquals(0, monitor(wh).code());
    Map<String, String> first = table(wh);
    // A file where the report folders go: March's rerun writes its rows, then cannot write its report.
    Path reports = Path.of(wh, "monitoring");
    try (var files = Files.walk(reports)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.writeString(reports, "not a folder");

    Run failed = monitor(wh, "--from", MAR, "--to", MAR, "--set", "monitoring.auc_drop.red_points=10");

    assertEquals(1, failed.code(), failed.err());
    assertEquals(first, table(wh), "March's rows as before the rerun (red, not amber), January and February too");
  }

  @Test
  void gateRedExitsFourAfterTheTableAndTheReportAreWritten() throws Exception {
    String wh = warehouse("gate");
    Run r = monitor(wh, "--to", FEB, "--gate", "red");
    assertEquals(4, r.code(), "February's KS is red: " + r.err());
    assertTrue(r.err().contains("Monitoring gate failed: the verdict is red (red: scorecard all ks 0.3400"), r.err());
    assertEquals(14, table(wh).size(), "January and February written before the exit");
    assertTrue(Files.isRegularFile(Path.of(wh, "monitoring", FEB, "report.html")));
    assertTrue(Files.isRegularFile(Path.of(wh, "monitoring", FEB, "monitoring.json")));
    assertEquals(0, monitor(wh, "--to", JAN, "--gate", "red").code(), "January is green: the gate passes");
  }

  @Test
  void noHistoryExitsThreeAndWritesNothing() throws Exception {
    String empty = tmp.resolve("empty").toString();
    Run none = monitor(empty);
    assertEquals(3, none.code(), none.err());
    assertTrue(none.err().contains("validation_metrics"), none.err());
    String wh = warehouse("range");
    Run outside = monitor(wh, "--from", "2027-01-01");
    assertEquals(3, outside.code(), outside.err());
    assertTrue(outside.err().contains("validation_metrics rows of this config"), outside.err());
    assertFalse(Files.exists(Path.of(wh, "monitoring_metrics")), "no table");
    assertFalse(Files.exists(Path.of(wh, "monitoring")), "no report folder");
  }

  @Test
  void badDatesAndGatesAreUsageErrors() {
    String wh = tmp.resolve("usage").toString();
    assertEquals(2, monitor(wh, "--from", MAR, "--to", JAN).code());
    assertEquals(2, monitor(wh, "--to", "31/03/2026").code());
    assertEquals(2, monitor(wh, "--gate", "amber").code());
    assertEquals(2, monitor(wh, "--set", "monitoring.early_warning.indicators=30@0").code());
  }
}
