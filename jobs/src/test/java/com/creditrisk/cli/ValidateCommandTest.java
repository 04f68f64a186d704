package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate --scores end to end through CreditRisk.execute: metrics.json, exit codes 3 and 4, nothing half-written. */
class ValidateCommandTest {
  @TempDir Path dir;

  @BeforeAll
  static void spark() {
    TestSpark.get();
  }

  /**
   * 60 rows: score 400 + 5 i (higher = safe), outcome "bad" for i < 12 and i = 18, 27, 36, 45, 54 (16),
   * pd falling with the score, month 2024-01/02 by parity, and 4 rows with an empty outcome (i = 7,
   * 22, 37, 52; i = 7 a bad one): 56 labelled rows, 15 bad.
   */
  private Path scores(String name, IntFunction<String> extra) throws IOException {
    List<String> lines = new ArrayList<>(List.of("id,score,outcome,pd,month,flag"));
    for (int i = 1; i <= 60; i++) {
      boolean bad = i < 12 || i % 9 == 0;
      String outcome = i % 15 == 7 ? "" : bad ? "bad" : "good";
      lines.add(i + "," + extra.apply(i) + "," + outcome + "," + (0.6 - i * 0.009) + ",2024-0" + (1 + i % 2) + ","
          + (bad ? 1 : 0));
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private Path scores() throws IOException {
    return scores("scores.csv", i -> String.valueOf(400 + 5 * i));
  }

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
      out.add(it.next());
    }
    return out;
  }

  /**
   * A Delta folder as --scores (format detected) gets a session with Delta Lake
   * (SparkSessions.readsDelta): the same counts and AUC as the CSV it was written from.
   */
  @Test
  void validateReadsADetectedDeltaTableLikeItsCsv() throws IOException {
    Path delta = dir.resolve("scores_delta");
    TestSpark.get().read().option("header", "true").option("inferSchema", "true").csv(scores().toString())
        .write().format("delta").save(delta.toString());
    CommandLineTest.Run fromDelta = CommandLineTest.run("validate", "--scores", delta.toString(), "--score-col",
        "score", "--label-col", "outcome", "--bad-value", "bad", "--out", dir.resolve("out-delta").toString());
    CommandLineTest.Run fromCsv = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col",
        "score", "--label-col", "outcome", "--bad-value", "bad", "--out", dir.resolve("out-csv").toString());
    assertEquals(0, fromDelta.code(), fromDelta.err());
    assertTrue(fromDelta.out().contains("(delta): 56 rows used (15 bad) of 60 read"), fromDelta.out());
    JsonNode d = new ObjectMapper().readTree(dir.resolve("out-delta/metrics.json").toFile());
    JsonNode c = new ObjectMapper().readTree(dir.resolve("out-csv/metrics.json").toFile());
    assertEquals(c.get("auc"), d.get("auc"));
    assertEquals(c.get("ks"), d.get("ks"));
  }

  @Test
  void validateWritesMetricsJsonWithDesignKeysFirstAndReportsExcludedRows() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col", "score",
        "--label-col", "outcome", "--bad-value", "bad", "--pd-col", "pd", "--baseline", scores().toString(),
        "--month-col", "month", "--target-bad-rate", "0.05,0.1", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("56 rows used (15 bad) of 60 read; excluded: {null_label=4}"), r.out());
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(List.of("n", "n_bad", "auc", "auc_se", "auc_ci95", "gini", "ks", "brier", "hosmer_lemeshow", "psi",
        "cutoffs"), keys(m).subList(0, 11));
    assertEquals(56, m.get("n").asInt());
    assertEquals(15, m.get("n_bad").asInt());
    assertEquals(2, m.get("auc_ci95").size());
    assertTrue(m.get("auc_ci95").get(0).asDouble() <= m.get("auc").asDouble());
    assertEquals(List.of("chi2", "df", "p_value"), keys(m.get("hosmer_lemeshow")).subList(0, 3));
    // The baseline is the same file; only its 4 unlabelled rows differ from the rows validated.
    assertTrue(m.get("psi").asDouble() > 0 && m.get("psi").asDouble() < 0.1, m.get("psi").toString());
    assertEquals(2, m.get("cutoffs").size());
    assertEquals(List.of("target_bad_rate", "cutoff", "approval_rate", "bad_rate", "cutoff_conservative"),
        keys(m.get("cutoffs").get(0)));
    assertEquals(4, m.get("rows").get("excluded").get("null_label").asInt());
    assertTrue(m.get("jeffreys").get("portfolio").get("p_value").isNumber());
    assertTrue(m.get("herfindahl").isNumber());
    assertTrue(List.of("green", "amber", "red").contains(m.get("verdict").asText()));
    assertEquals("baseline", m.get("psi_by_month").get("baseline").asText());
    assertEquals("2024-01", m.get("psi_by_month").get("months").get(0).get("month").asText());
    assertEquals(2, m.get("psi_by_month").get("months").size());
    try (var s = Files.list(out)) {
      // Hadoop's local file system keeps a .crc checksum beside each file; no temporary file is left.
      assertEquals(List.of("metrics.json", "report.html"), s.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).sorted().toList());
    }
  }

  /** The same rows as Parquet, format detected; higher-is risk on the negated score gives the same AUC. */
  @Test
  void aParquetTableIsDetectedAndHigherIsRiskMirrorsHigherIsSafe() throws IOException {
    Path parquet = dir.resolve("scores.parquet");
    TestSpark.get().read().option("header", "true").option("inferSchema", "true").csv(scores().toString())
        .selectExpr("-score as risk", "flag").write().parquet(parquet.toString());
    CommandLineTest.Run safe = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col", "score",
        "--label-col", "flag", "--out", dir.resolve("safe").toString());
    CommandLineTest.Run risk = CommandLineTest.run("validate", "--scores", parquet.toString(), "--score-col", "risk",
        "--label-col", "flag", "--higher-is", "risk", "--out", dir.resolve("risk").toString());
    assertEquals(0, safe.code(), safe.err());
    assertEquals(0, risk.code(), risk.err());
    assertTrue(risk.out().contains("(parquet)"), risk.out());
    JsonNode a = new ObjectMapper().readTree(dir.resolve("safe").resolve("metrics.json").toFile());
    JsonNode b = new ObjectMapper().readTree(dir.resolve("risk").resolve("metrics.json").toFile());
    for (String k : List.of("auc", "auc_se", "ks")) {
      assertEquals(a.get(k).asDouble(), b.get(k).asDouble(), 1e-15, k);
    }
    assertEquals(-a.get("ks_score").asDouble(), b.get("ks_score").asDouble(), 0.0);
  }

  /**
   * A grade column (here the month: 30 rows each) replaces the PD bounds, so Herfindahl = 2 (1/2)^2
   * = 0.5; CSI of a feature against the same file is 0.
   */
  @Test
  void aGradeColumnDrivesJeffreysAndHerfindahlAndCsiColumnsGetTheirOwnPsi() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col", "score",
        "--label-col", "flag", "--pd-col", "pd", "--grade-col", "month", "--baseline", scores().toString(),
        "--csi-cols", "pd,id", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals("column month", m.get("grades_from").asText());
    assertEquals(0.5, m.get("herfindahl").asDouble(), 1e-15);
    assertEquals(2, m.get("jeffreys").get("grades").size());
    // CSV inference read the month as a timestamp; a grade is shown as it is, a month (below) as yyyy-MM.
    assertTrue(m.get("jeffreys").get("grades").get(0).get("grade").asText().startsWith("2024-01"));
    assertEquals(List.of("pd", "id"), keys(m.get("csi")));
    assertEquals(0.0, m.get("csi").get("id").get("value").asDouble(), 0.0);
    assertEquals(0.0, m.get("psi").asDouble(), 0.0);
  }

  @Test
  void reportHtmlShowsTheVerdictAndOneChartPerAvailableSection() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col", "score",
        "--label-col", "outcome", "--bad-value", "bad", "--pd-col", "pd", "--month-col", "month", "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    String verdict = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("verdict").asText();
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<div class=\"verdict " + verdict + "\" id=\"verdict\">"), html);
    // ROC, KS, score distribution, calibration and PSI by month (against the first month) have data;
    // the strategy needs calibrate's cutoff curve, so it says why it is missing.
    assertEquals(5, html.split("<svg ", -1).length - 1);
    assertTrue(html.contains("Not available: the cutoff curve comes from calibrate"), html);
  }

  /**
   * 103 rows: grade A (rows 1-50, month 2024-01, pd 0.2), B (51-53, 2024-02, pd 0.45, 2 bads) and C
   * (54-103, 2024-03, pd 0.1); A and C have a bad every fifth row. Grade B's mean PD 45.00% and
   * observed rate 66.67% are figures of a cell of 3 rows.
   */
  private Path smallGradeScores() throws IOException {
    List<String> lines = new ArrayList<>(List.of("score,flag,pd,grade,month"));
    for (int i = 1; i <= 103; i++) {
      String grade = i <= 50 ? "A" : i <= 53 ? "B" : "C";
      boolean bad = grade.equals("B") ? i < 53 : i % 5 == 0;
      lines.add((400 + 5 * i) + "," + (bad ? 1 : 0) + "," + (grade.equals("A") ? 0.2 : grade.equals("B") ? 0.45 : 0.1)
          + "," + grade + ",2024-0" + (grade.equals("A") ? 1 : grade.equals("B") ? 2 : 3));
    }
    Path p = dir.resolve("small-grade.csv");
    Files.write(p, lines);
    return p;
  }

  private CommandLineTest.Run validateSmallGrade(Path out, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("validate", "--scores", smallGradeScores().toString(), "--score-col",
        "score", "--label-col", "flag", "--pd-col", "pd", "--grade-col", "grade", "--month-col", "month", "--out",
        out.toString()));
    args.addAll(List.of(more));
    return CommandLineTest.run(args.toArray(new String[0]));
  }

  @Test
  void aGradeAndMonthOfThreeRowsAreSuppressedInTheReportAndFlaggedInMetricsJson() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = validateSmallGrade(out);
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(out.resolve("report.html"));
    assertFalse(html.contains("45.00%") || html.contains("66.67%"), html);
    assertTrue(html.contains("<td>B</td><td class=\"num\">suppressed (n &lt; 10)</td>"), html);
    // Months 2024-02 (3 rows) and 2024-03 are both red on PSI: the verdict line and the headline's
    // largest monthly PSI do not give the small month's value.
    assertTrue(html.contains("score distribution shifted in 2024-02 (PSI suppressed (n &lt; 10))"), html);
    assertTrue(html.contains("Max monthly PSI (2024-03)"), html);
    assertFalse(html.contains("Max monthly PSI (2024-02)") || html.contains("shifted in 2024-02 —"), html);
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    // The statistics keep every row: grade B is in jeffreys with its exact count.
    assertEquals("B", m.get("jeffreys").get("grades").get(1).get("grade").asText());
    assertEquals(3, m.get("jeffreys").get("grades").get(1).get("n").asInt());
    JsonNode small = m.get("small_cells");
    assertEquals(10, small.get("min_cell_count").asInt());
    List<String> cells = new ArrayList<>();
    small.get("cells").forEach(c -> cells.add(c.get("section").asText() + " " + c.get("cell").asText() + " n="
        + c.get("n").asInt() + " " + c.get("shown_as").asText()));
    assertTrue(cells.contains("calibration grade B n=3 suppressed"), cells.toString());
    assertTrue(cells.contains("psi month 2024-02 n=3 suppressed"), cells.toString());

    Path open = dir.resolve("open");
    assertEquals(0, validateSmallGrade(open, "--set", "privacy.min_cell_count=0").code());
    String openHtml = Files.readString(open.resolve("report.html"));
    assertTrue(openHtml.contains("45.00%") && openHtml.contains("66.67%"), openHtml);
    assertFalse(openHtml.contains("suppressed"), openHtml);
    assertTrue(openHtml.contains("shifted in 2024-02 —"), openHtml);
    JsonNode o = new ObjectMapper().readTree(open.resolve("metrics.json").toFile());
    assertEquals(0, o.get("small_cells").get("cells").size());
    // Rendering only: but for small_cells (and the timings) the two metrics.json are the same.
    ((ObjectNode) m).remove(List.of("small_cells", "timings_ms"));
    ((ObjectNode) o).remove(List.of("small_cells", "timings_ms"));
    assertEquals(o, m);
  }

  @Test
  void gateRedExitsFourAfterWritingMetricsWhenPsiShifted() throws IOException {
    Path out = dir.resolve("out");
    Path baseline = scores("baseline.csv", i -> String.valueOf(900 + 5 * i));
    CommandLineTest.Run r = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col", "score",
        "--label-col", "flag", "--baseline", baseline.toString(), "--gate", "red", "--out", out.toString());
    assertEquals(4, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("Validation gate failed: the verdict is red (psi)"), r.err());
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals("red", m.get("verdict").asText());
    assertTrue(m.get("psi").asDouble() > 0.25);
  }

  @Test
  void withoutTheGateARedVerdictStillExitsZero() throws IOException {
    Path baseline = scores("baseline.csv", i -> String.valueOf(900 + 5 * i));
    CommandLineTest.Run r = CommandLineTest.run("validate", "--scores", scores().toString(), "--score-col", "score",
        "--label-col", "flag", "--baseline", baseline.toString(), "--out", dir.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Verdict: red"), r.out());
  }

  private void assertBadInput(String expected, String... args) throws IOException {
    Path out = dir.resolve("out");
    List<String> all = new ArrayList<>(List.of("validate", "--out", out.toString()));
    all.addAll(List.of(args));
    CommandLineTest.Run r = CommandLineTest.run(all.toArray(new String[0]));
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aMissingColumnIsBadInput() throws IOException {
    assertBadInput("column 'scor' does not exist (--score-col)",
        "--scores", scores().toString(), "--score-col", "scor", "--label-col", "flag");
  }

  @Test
  void aLabelThatIsNotZeroOrOneIsBadInput() throws IOException {
    assertBadInput("column 'outcome' must hold 0/1 (1 = bad), or name the bad value with --bad-value; found 56 rows",
        "--scores", scores().toString(), "--score-col", "score", "--label-col", "outcome");
  }

  @Test
  void aBadValueThatDoesNotOccurIsBadInput() throws IOException {
    assertBadInput("has one class only among 56 labelled rows (0 bad, 56 good); --bad-value BAD does not occur",
        "--scores", scores().toString(), "--score-col", "score", "--label-col", "outcome", "--bad-value", "BAD");
  }

  @Test
  void oneClassOnlyIsBadInput() throws IOException {
    Path p = dir.resolve("one.csv");
    Files.write(p, List.of("score,y", "1,0", "2,0", "3,0"));
    assertBadInput("has one class only among 3 labelled rows (0 bad, 3 good)",
        "--scores", p.toString(), "--score-col", "score", "--label-col", "y");
  }

  @Test
  void nullAndNaNScoresAreBadInputAndCounted() throws IOException {
    Path p = scores("holes.csv", i -> i % 10 == 0 ? "" : i == 11 ? "NaN" : String.valueOf(i));
    assertBadInput("column 'score' has 7 null or NaN scores among the labelled rows",
        "--scores", p.toString(), "--score-col", "score", "--label-col", "flag");
  }

  @Test
  void anUnreadablePathIsBadInput() throws IOException {
    assertBadInput("Cannot read input table at " + dir.resolve("nope.csv") + ": it does not exist (--scores)",
        "--scores", dir.resolve("nope.csv").toString(), "--score-col", "score", "--label-col", "flag");
  }

  @Test
  void aPdOutsideZeroAndOneIsBadInput() throws IOException {
    assertBadInput("column 'score' has 60 null, NaN or out-of-[0, 1] PDs",
        "--scores", scores().toString(), "--score-col", "score", "--label-col", "flag", "--pd-col", "score");
  }

  @Test
  void scoresAndAsOfTogetherOrNeitherIsBadUsage() {
    CommandLineTest.Run both = CommandLineTest.run("validate", "--as-of", "2025-12-31", "--scores", "x.csv",
        "--score-col", "s", "--label-col", "y", "--out", "o");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("either --scores PATH"), both.err());
    CommandLineTest.Run neither = CommandLineTest.run("validate", "--out", "o");
    assertEquals(2, neither.code());
    CommandLineTest.Run scoresOnly = CommandLineTest.run("validate", "--as-of", "2025-12-31", "--score-col", "s");
    assertEquals(2, scoresOnly.code());
    assertTrue(scoresOnly.err().contains("Invalid options with --as-of: --score-col apply to validate --scores only"),
        scoresOnly.err());
    CommandLineTest.Run missing = CommandLineTest.run("validate", "--scores", "x.csv", "--score-col", "s");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("Missing required option(s) of validate --scores: --label-col, --out"),
        missing.err());
  }
}
