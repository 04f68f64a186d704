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
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-dataset with feature sources on the hand-made inputs of {@link CsvInputs} (as of
 * 2025-06-30): the sources' features in model_dataset, their record in run.json, and a bad source
 * stopping the run before anything is written.
 */
class FeatureSourcesBuildTest {
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static final List<String> BUREAU = List.of(
      "cust,ts,amount,lender",
      "C1,2024-11-15 10:00:00,100,X", // 16 days before A1: in A1's 30-day window
      "C1,2024-12-01 12:00:00,50,Y", // exactly A1's time: A4's only
      "C9,2024-11-01 00:00:00,1,X", // no such customer: counted, not an error
      "C2,2025-07-10 00:00:00,1,X"); // after the as-of date: set aside

  static final List<String> INCOME = List.of(
      "application_id,declared_income",
      "A1,3000",
      "A2,1200.5",
      "A9,10"); // no such application

  static String[] args(Path dir, List<String> bureau, List<String> income) throws IOException {
    Path src = Files.createDirectories(dir.resolve("sources"));
    Files.write(src.resolve("bureau.csv"), bureau);
    Files.write(src.resolve("income.csv"), income);
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", "2025-06-30",
        "--set", "warehouse.path=" + dir.resolve("wh").toAbsolutePath()));
    a.addAll(new CsvInputs().write(dir.resolve("in")));
    String b = "feature_sources.bureau.";
    String i = "feature_sources.income.";
    for (String s : List.of(b + "path=" + src.resolve("bureau.csv"), b + "format=csv", b + "entity=customer",
        b + "kind=events", b + "windows_days=30,180", b + "aggregates=count,sum:amount",
        b + "columns.customer_id=cust", b + "columns.event_time=ts",
        i + "path=" + src.resolve("income.csv"), i + "format=csv", i + "entity=application", i + "kind=application",
        i + "attributes=declared_income", i + "types.declared_income=double")) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(new String[0]);
  }

  @Test
  void sourceFeaturesLandInModelDatasetAfterTheScoreFeaturesWithTheirRecordInRunJson(@TempDir Path dir)
      throws Exception {
    assertEquals(0, CreditRisk.execute(args(dir, BUREAU, INCOME)));
    String wh = dir.resolve("wh").toString();
    Dataset<Row> md = spark.read().format("delta").load(wh + "/model_dataset");
    List<String> columns = Arrays.asList(md.columns());
    int after = columns.indexOf("days_since_last_snapshot");
    assertEquals(List.of("bureau__count_30d", "bureau__sum_amount_30d", "bureau__count_180d", "bureau__sum_amount_180d",
        "bureau__days_since_last", "bureau__missing_reason", "income__declared_income", "income__missing_reason"),
        columns.subList(after + 1, after + 9));
    Map<String, Row> byApp = byKey(md, "application_id");
    Row a1 = byApp.get("A1");
    assertEquals(1L, a1.<Long>getAs("bureau__count_30d"));
    assertEquals(100.0, a1.<Double>getAs("bureau__sum_amount_30d"));
    assertEquals(16, a1.<Integer>getAs("bureau__days_since_last"));
    assertEquals(3000.0, a1.<Double>getAs("income__declared_income"));
    assertNull(a1.getAs("bureau__missing_reason"));
    Row a4 = byApp.get("A4"); // C1 again, 2025-03-20: both rows in 180 days, none in 30
    assertEquals(0L, a4.<Long>getAs("bureau__count_30d"));
    assertEquals(2L, a4.<Long>getAs("bureau__count_180d"));
    assertEquals(150.0, a4.<Double>getAs("bureau__sum_amount_180d"));
    assertEquals(109, a4.<Integer>getAs("bureau__days_since_last"));
    assertEquals("no_history", a4.getAs("income__missing_reason"));
    // C2's only row is after the as-of date.
    assertEquals("no_history", byApp.get("A2").getAs("bureau__missing_reason"));
    assertEquals(1200.5, byApp.get("A2").<Double>getAs("income__declared_income"));

    File run = new File(wh, "runs").listFiles()[0];
    JsonNode j = new ObjectMapper().readTree(new File(run, "run.json"));
    JsonNode bureau = j.at("/feature_sources/bureau");
    assertEquals(4, bureau.at("/rows/rows").asLong());
    assertEquals(1, bureau.at("/rows/rows_unmatched").asLong());
    assertEquals(1, bureau.at("/rows/rows_after_as_of").asLong());
    assertEquals(2, bureau.get("applications_with_data").asLong(), "A1 and A4");
    assertEquals(3, bureau.at("/missing_reasons/no_history").asLong());
    assertEquals(64, bureau.at("/input/fingerprint").asText().length());
    assertEquals(1, j.at("/feature_sources/income/rows/rows_unmatched").asLong());
    assertEquals(2, j.at("/feature_sources/income/applications_with_data").asLong());
    // The config records the sources, so the RUN_ID differs from a run without them.
    assertTrue(j.at("/config/feature_sources/bureau/path").asText().endsWith("bureau.csv"));
  }

  @Test
  void aBadSourceIsExitThreeAndWritesNothing(@TempDir Path dir) throws Exception {
    List<String> bad = new ArrayList<>(BUREAU);
    bad.set(1, "C1,2024-11-15 10:00:00,ten,X");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    int code;
    try {
      code = CreditRisk.execute(args(dir, bad, INCOME));
    } finally {
      System.setErr(err);
    }
    assertEquals(3, code);
    assertTrue(captured.toString().contains("feature_sources.bureau.amount: value does not parse as double (1 row, e.g. C1)"),
        captured.toString());
    assertFalse(new File(dir.resolve("wh").toFile(), "model_dataset").exists());
    assertFalse(new File(dir.resolve("wh").toFile(), "loan_performance").exists());
    assertFalse(new File(dir.resolve("wh").toFile(), "runs").exists());
  }

  @Test
  void withoutSourcesRunJsonHasNoSourceSection(@TempDir Path dir) throws Exception {
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", "2025-06-30",
        "--set", "warehouse.path=" + dir.resolve("wh").toAbsolutePath()));
    a.addAll(new CsvInputs().write(dir.resolve("in")));
    assertEquals(0, CreditRisk.execute(a.toArray(new String[0])));
    File run = new File(dir.resolve("wh").toFile(), "runs").listFiles()[0];
    JsonNode j = new ObjectMapper().readTree(new File(run, "run.json"));
    assertNull(j.get("feature_sources"));
    assertFalse(j.at("/timings_ms").has("validate_feature_sources"));
  }
}
