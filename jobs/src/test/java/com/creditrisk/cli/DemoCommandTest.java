package com.creditrisk.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo on 1,500 customers (the fewest that still give every date out-of-time labels and
 * monitor its trend and estimate rows; the default 20,000 shows the same steps and takes many
 * minutes more): the pipeline monthly as of the last day of 2025-07 .. 2025-12, retraining by run's
 * rule with the demo's 180 days, then monitor over those six dates. Leaves what it printed on
 * standard output and its monitoring report and monitoring.json in jobs/target/demo-monitoring, for
 * a look.
 */
class DemoCommandTest {
  private static final List<String> DATES = List.of("2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31",
      "2025-11-30", "2025-12-31");

  @TempDir
  static Path dir;

  private static int exit;
  private static String out;
  private static Path warehouse;

  @BeforeAll
  static void runTheDemo() {
    TestSpark.get();
    warehouse = dir.resolve("wh");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    exit = CreditRisk.execute(new PrintWriter(o, true), new PrintWriter(e, true), "demo", "--customers", "1500",
        "--data-dir", dir.resolve("data").toString(), "--set", "warehouse.path=" + warehouse);
    out = o.toString();
    // For a look after the run: what the demo printed, its monitoring report and monitoring.json.
    System.out.println(out);
    copyForALook(warehouse.resolve("monitoring").resolve("2025-12-31"), Path.of("target", "demo-monitoring"));
    assertEquals(0, exit, out + e);
  }

  private static void copyForALook(Path from, Path to) {
    try {
      Files.createDirectories(to);
      for (String f : List.of("report.html", "monitoring.json")) {
        if (Files.isRegularFile(from.resolve(f))) {
          Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void runsThePipelineAtTheLastDayOfEachOfTheLastSixMonthsRetrainingOnlyWhenRunsRuleSays() {
    // Earlier months: one line each. The first trains (--retrain); 08..11 are 31..122 days after
    // it, under 180, so they score with its models, and so does 12-31 (153 days).
    Matcher line = Pattern.compile("(?m)^  (\\d{4}-\\d{2}-\\d{2})  run (\\S+)  (trained|models of (\\S+))")
        .matcher(out);
    List<String> seen = new ArrayList<>();
    while (line.find()) {
      seen.add(line.group(1));
      if (line.group(1).equals("2025-07-31")) {
        assertEquals("trained", line.group(3), out);
      } else {
        assertTrue(line.group(4).startsWith("2025-07-31-"), line.group(0));
      }
    }
    assertEquals(DATES.subList(0, 5), seen, out);
    // The last date keeps the single-date block the demo printed before it ran monthly.
    assertTrue(out.contains("Train skipped (the models of 2025-07-31 are 153 days old, under "
        + "run.retrain_every_days = 180): scoring with the models of run 2025-07-31-"), out);
    assertTrue(Pattern.compile("Validated the models of run 2025-07-31-[0-9a-f]{8} out of time").matcher(out).find(),
        out);
    for (String block : List.of("Run %s: value of each feature source", "Run %s, stages:")) {
      assertTrue(Pattern.compile(String.format(block, "2025-12-31-[0-9a-f]{8}")).matcher(out).find(),
          block + "\n" + out);
    }
  }

  @Test
  void valuesTheFeatureSourcesAtTheLastDateOnly() throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String d : DATES) {
      Path runDir = runFolder(d);
      JsonNode pipeline = json.readTree(runDir.resolve("pipeline.json").toFile());
      List<String> stages = new ArrayList<>();
      pipeline.get("stages").forEach(s -> stages.add(s.get("name").asText()));
      List<String> expected = new ArrayList<>(List.of("build-dataset", "score", "calibrate", "validate"));
      if (d.equals("2025-07-31")) {
        expected.add(1, "train");
      }
      if (d.equals("2025-12-31")) {
        expected.add(expected.size() - 1, "evaluate-sources");
        assertTrue(Files.isRegularFile(runDir.resolve("sources.json")), d);
        assertTrue(pipeline.get("skipped_stages") == null, d + ": a full run records no skipped stage");
      } else {
        assertTrue(!Files.exists(runDir.resolve("sources.json")), d);
        assertTrue(pipeline.get("skipped_stages").get("evaluate-sources").asText().startsWith("not asked"), d);
      }
      assertEquals(expected, stages, d);
    }
  }

  private static Path runFolder(String date) throws IOException {
    try (var dirs = Files.list(warehouse.resolve("runs"))) {
      List<Path> found = dirs.filter(p -> p.getFileName().toString().startsWith(date + "-")).toList();
      assertEquals(1, found.size(), date + ": " + found);
      return found.get(0);
    }
  }

  @Test
  void endsWithMonitorOverTheSixDatesAndPrintsItsVerdictAndReport() throws IOException {
    String folder = warehouse.resolve("monitoring").resolve("2025-12-31").toString();
    assertTrue(out.contains("Monitored 6 as-of dates from 2025-07-31 to 2025-12-31"), out);
    assertTrue(out.contains("Report: " + folder + "/report.html"), out);
    JsonNode json = new ObjectMapper().readTree(Path.of(folder, "monitoring.json").toFile());
    assertEquals("2025-07-31", json.get("from").asText());
    assertEquals("2025-12-31", json.get("to").asText());
    String verdict = json.get("verdict").asText();
    assertTrue(Set.of("green", "amber", "red").contains(verdict), verdict);
    assertTrue(out.contains("Verdict: " + verdict + "\n"), out);
    assertTrue(Path.of(folder, "report.html").toFile().isFile());
  }

  @Test
  void monitoringMetricsHoldsATrendRowPerDateForEveryModelAndTheEstimatesBeforeLabels() {
    List<Row> rows = TestSpark.get().read().format("delta").load(warehouse.resolve("monitoring_metrics").toString())
        .where(col("segment").equalTo("all").and(col("indicator").equalTo("auc")))
        .select(col("as_of_date").cast("string"), col("model")).collectAsList();
    Set<String> dates = new TreeSet<>();
    Set<String> perDateModel = new TreeSet<>();
    rows.forEach(r -> {
      dates.add(r.getString(0));
      perDateModel.add(r.getString(0) + " " + r.getString(1));
    });
    assertEquals(DATES, List.copyOf(dates));
    assertEquals(6 * 4, perDateModel.size(), "the out-of-time AUC of the four models at each date: " + perDateModel);
    long estimates = TestSpark.get().read().format("delta").load(warehouse.resolve("monitoring_metrics").toString())
        .where(col("segment").equalTo("immature").and(col("indicator").equalTo("expected_auc")))
        .select("as_of_date").distinct().count();
    assertEquals(6, estimates, "an estimated AUC of the immature applications at every date");
  }

  @Test
  void scorecardsEstimatedAucFallsAsThePartnerCampaignNarrowsTheRecentApplicants() {
    // The generator's partner campaign brings ever more applicants from a middle score band, so
    // the PDs of the open windows spread less each month. The estimate is a function of those PDs,
    // not a draw: no margin is needed for it to be lower.
    List<Row> rows = TestSpark.get().read().format("delta").load(warehouse.resolve("monitoring_metrics").toString())
        .where(col("segment").equalTo("immature").and(col("indicator").equalTo("expected_auc"))
            .and(col("model").equalTo("scorecard")))
        .select(col("as_of_date").cast("string"), col("value")).orderBy("as_of_date").collectAsList();
    assertEquals(DATES, rows.stream().map(r -> r.getString(0)).toList(), rows.toString());
    double first = rows.get(0).getDouble(1);
    double last = rows.get(rows.size() - 1).getDouble(1);
    assertTrue(last < first, "scorecard expected AUC " + rows);
  }
}
