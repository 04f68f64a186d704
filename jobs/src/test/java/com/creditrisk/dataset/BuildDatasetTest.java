package com.creditrisk.dataset;

import static com.creditrisk.Rows.byKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.CsvInputs;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build-dataset end to end on the hand-made CSV inputs of {@link CsvInputs}. */
class BuildDatasetTest {
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static String[] args(Path dir, CsvInputs inputs, String asOf, String... extra) {
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", asOf,
        "--set", "warehouse.path=" + dir.resolve("wh").toAbsolutePath()));
    a.addAll(inputs.write(dir.resolve("in")));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  @Test
  void buildsStatusesLabelsAndFeaturesAsOfTheDate(@TempDir Path dir) throws Exception {
    assertEquals(0, CreditRisk.execute(args(dir, new CsvInputs(), "2025-06-30")));
    String wh = dir.resolve("wh").toString();
    Map<String, Row> md = byKey(spark.read().format("delta").load(wh + "/model_dataset"), "application_id");
    assertEquals(List.of("A1", "A2", "A3", "A4", "A5"), new ArrayList<>(new java.util.TreeSet<>(md.keySet())));
    assertEquals("good", md.get("A1").getAs("status"));
    assertEquals(0, md.get("A1").<Integer>getAs("label"));
    assertEquals(650, md.get("A1").<Integer>getAs("score_at_application"));
    assertEquals(Timestamp.valueOf("2024-11-20 10:00:00"), md.get("A1").getAs("score_time_used"));
    assertEquals("bad", md.get("A2").getAs("status"));
    assertEquals(java.sql.Date.valueOf("2025-02-09"), md.get("A2").getAs("first_bad_date"));
    assertEquals("rejected", md.get("A3").getAs("status"));
    assertNull(md.get("A3").getAs("label"));
    assertNull(md.get("A3").getAs("split"));
    assertEquals("not_disbursed", md.get("A4").getAs("status"));
    assertEquals(660, md.get("A4").<Integer>getAs("score_at_application"));
    assertEquals("immature", md.get("A5").getAs("status"));
    assertEquals("no_snapshot", md.get("A5").getAs("score_missing_reason"));
    assertFalse(md.get("A5").<Boolean>getAs("mature"));
    assertEquals("2024-12", md.get("A1").getAs("application_month"));
    // The only mature labelled month is 2024-12, so with oot_months = 3 both labelled rows are oot.
    assertEquals("oot", md.get("A1").getAs("split"));
    assertEquals("oot", md.get("A2").getAs("split"));

    Map<String, Row> lp = byKey(spark.read().format("delta").load(wh + "/loan_performance"), "loan_id");
    assertEquals(3, lp.size());
    assertEquals(151, lp.get("L2").<Integer>getAs("max_dpd")); // unpaid 2025-01-10 .. e = 2025-06-10
    assertTrue(lp.get("L2").<Boolean>getAs("mature"));

    File[] runs = new File(wh, "runs").listFiles();
    assertEquals(1, runs.length);
    assertTrue(runs[0].getName().startsWith("2025-06-30-"));
    JsonNode run = new ObjectMapper().readTree(new File(runs[0], "run.json"));
    assertEquals("2025-06-30", run.get("as_of_date").asText());
    assertEquals("2025-07-05", run.get("extract_date").asText());
    assertEquals(1, run.at("/row_counts/model_dataset/good").asLong());
    assertEquals(1, run.at("/row_counts/model_dataset/bad").asLong());
    assertEquals(1, run.at("/row_counts/model_dataset/rejected").asLong());
    assertEquals(1, run.at("/row_counts/model_dataset/not_disbursed").asLong());
    assertEquals(1, run.at("/row_counts/model_dataset/immature").asLong());
    assertEquals(6, run.at("/row_counts/inputs/applications/rows").asLong());
    assertEquals(1, run.at("/row_counts/inputs/applications/after_as_of").asLong());
    assertEquals(1, run.at("/row_counts/inputs/score_snapshots/after_as_of").asLong());
    assertEquals(1, run.at("/score_at_application/no_snapshot").asLong());
    // A5 has no score but the decision system logged none either; the others agree.
    assertEquals(0, run.at("/score_at_application/decision_score_differs").asLong());
    assertTrue(run.at("/inputs/applications/fingerprint").asText().length() == 64);
    assertTrue(run.at("/timings_ms/validate_inputs").asLong() >= 0);
    assertTrue(run.get("excluded").isArray() && run.get("excluded").size() >= 2);
  }

  @Test
  void reportsHowOftenTheLoggedDecisionScoreDisagreesWithTheRebuiltOne(@TempDir Path dir) throws Exception {
    CsvInputs in = new CsvInputs()
        // A2's decision system logged 605, the history says 610.
        .set("applications", 2, "A2,C2,2024-12-10 12:00:00,cash_loan,web,1000.0,3,approved,L2,605")
        // C3's only snapshot is 96 days old at A7: stale, yet a score was logged.
        .add("applications", "A7,C3,2025-03-01 10:00:00,cash_loan,web,500.0,3,rejected,,520");
    assertEquals(0, CreditRisk.execute(args(dir, in, "2025-06-30")));
    File[] runs = new File(dir.resolve("wh").toFile(), "runs").listFiles();
    JsonNode run = new ObjectMapper().readTree(new File(runs[0], "run.json"));
    assertEquals(1, run.at("/score_at_application/decision_score_differs").asLong());
    assertEquals(1, run.at("/score_at_application/decision_score_without_usable_score").asLong());
    assertEquals(1, run.at("/score_at_application/stale").asLong());
    assertEquals(5, run.at("/score_at_application/decision_score_present").asLong());
    Map<String, Row> md = byKey(spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString()),
        "application_id");
    assertEquals(605, md.get("A2").<Integer>getAs("decision_score"));
    assertEquals(610, md.get("A2").<Integer>getAs("score_at_application"));
  }

  @Test
  void rerunWithSameAsOfReplacesItsRowsAndKeepsOtherDates(@TempDir Path dir) throws Exception {
    String[] first = args(dir, new CsvInputs(), "2025-06-30");
    assertEquals(0, CreditRisk.execute(first));
    assertEquals(0, CreditRisk.execute(first));
    assertEquals(0, CreditRisk.execute(args(dir, new CsvInputs(), "2025-05-31")));
    String wh = dir.resolve("wh").toString();
    var md = spark.read().format("delta").load(wh + "/model_dataset");
    assertEquals(5, md.filter("as_of_date = '2025-06-30'").count());
    // As of 2025-05-31: A5 (2025-05-01) is in, nothing after it.
    assertEquals(5, md.filter("as_of_date = '2025-05-31'").count());
    assertEquals(10, md.count());
    var lp = spark.read().format("delta").load(wh + "/loan_performance");
    assertEquals(6, lp.count());
    // Same as-of and config: same RUN_ID folder, rewritten; another date: another folder.
    assertEquals(2, new File(wh, "runs").listFiles().length);
  }

  @Test
  void changingAConfigKeyChangesTheRunId(@TempDir Path dir) {
    assertEquals(0, CreditRisk.execute(args(dir, new CsvInputs(), "2025-06-30")));
    assertEquals(0, CreditRisk.execute(args(dir, new CsvInputs(), "2025-06-30", "--set", "label.bad_dpd=60")));
    assertEquals(2, new File(dir.resolve("wh").toFile(), "runs").listFiles().length);
    var md = spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString());
    // The second run replaced the date's rows: with bad at 60 DPD, A2 (never paid) is still bad.
    assertEquals(5, md.count());
    assertEquals(1, md.filter("status = 'bad'").count());
  }

  @Test
  void failedSecondWriteRollsBackTheFirstTable(@TempDir Path dir) throws Exception {
    assertEquals(0, CreditRisk.execute(args(dir, new CsvInputs(), "2025-06-30")));
    String wh = dir.resolve("wh").toString();
    long lpVersion = io.delta.tables.DeltaTable.forPath(spark, wh + "/loan_performance").history(1).first()
        .<Long>getAs("version");
    // A file where the model_dataset folder's log should be makes its write fail after
    // loan_performance was written.
    Path log = dir.resolve("wh/model_dataset/_delta_log");
    Files.walk(log).sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    Files.writeString(log, "not a folder");
    int code = CreditRisk.execute(args(dir, new CsvInputs(), "2025-05-31"));
    assertEquals(1, code);
    var history = io.delta.tables.DeltaTable.forPath(spark, wh + "/loan_performance").history();
    // The failed run's write and the restore are both in the history; the table reads as before.
    long rows = spark.read().format("delta").load(wh + "/loan_performance").count();
    assertEquals(3, rows);
    assertTrue(history.count() >= lpVersion + 2);
  }
}
