package com.creditrisk.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.TrainedDemo;
import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.run.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** validate --as-of end to end on the trained, scored and calibrated demo data (see {@link TrainedDemo}). */
class ValidatePipelineTest {
  static SparkSession spark;
  static TrainedDemo.Fixture f;
  static CommandLineTest.Run first;
  static String runDir;

  @BeforeAll
  static void validate() throws Exception {
    spark = TestSpark.get();
    f = TrainedDemo.get();
    ScoreApplications.run(spark, new ScoreApplications.Input(f.conf(), TrainedDemo.AS_OF, f.trained().runId()));
    CalibrateJob.run(spark, new CalibrateJob.Input(f.conf(), TrainedDemo.AS_OF, f.trained().runId()));
    first = CommandLineTest.run(args("--model", f.trained().runId()));
    runDir = RunFolder.path(f.conf(), RunFolder.runId(TrainedDemo.AS_OF, f.conf()));
  }

  static String[] args(String... more) {
    List<String> a = new ArrayList<>(List.of("validate", "--as-of", TrainedDemo.AS_OF.toString()));
    f.sets().forEach(s -> a.addAll(List.of("--set", s)));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  static Dataset<Row> metricRows() {
    return spark.read().format("delta").load(f.warehouse() + "/validation_metrics")
        .where(col("run_id").equalTo(RunFolder.runId(TrainedDemo.AS_OF, f.conf())));
  }

  @Test
  void metricsJsonHoldsEveryModelsOutOfTimePackAndTheRunsVerdict() throws Exception {
    assertEquals(0, first.code(), first.out() + first.err());
    JsonNode m = new ObjectMapper().readTree(new File(runDir, "metrics.json"));
    JsonNode card = new ObjectMapper().readTree(new File(RunFolder.path(f.conf(), f.trained().runId()),
        "model_card.json"));
    List<String> models = new ArrayList<>();
    card.get("models").fieldNames().forEachRemaining(models::add);
    List<String> validated = new ArrayList<>();
    m.get("models").fieldNames().forEachRemaining(validated::add);
    assertEquals(models, validated);
    String worst = "green";
    for (String model : models) {
      JsonNode one = m.get("models").get(model);
      // The oot rows are the ones train measured on: same count, same exact AUC.
      JsonNode oot = card.at("/models/" + model + "/metrics/oot");
      assertEquals(oot.get("n").asLong(), one.get("n").asLong(), model);
      // Scores in points clip extreme PDs, which may tie a few rows the PD told apart.
      assertEquals(oot.get("auc").asDouble(), one.get("auc").asDouble(), 1e-3, model);
      assertEquals(card.at("/models/" + model + "/metrics/test/auc").asDouble(),
          one.get("development_auc").asDouble(), 1e-12);
      assertTrue(one.get("brier").isNumber() && one.get("psi").isNumber(), model);
      assertTrue(one.get("psi_by_month").get("months").size() > 3, "PSI for every application month");
      assertEquals(!model.equals("score_logistic"), one.get("delong_paired").isObject(), model);
      String v = one.get("verdict").asText();
      worst = v.equals("red") || worst.equals("red") ? "red" : v.equals("amber") || worst.equals("amber")
          ? "amber" : "green";
    }
    assertEquals(worst, m.get("verdict").asText());
    assertTrue(first.out().contains("Verdict: " + worst), first.out());
  }

  @Test
  void psiLightsOfTheDevelopmentMonthsAreListedAndOnlyLaterMonthsCount() throws Exception {
    JsonNode m = new ObjectMapper().readTree(new File(runDir, "metrics.json"));
    for (JsonNode model : m.get("models")) {
      List<String> listed = new ArrayList<>();
      List<String> counted = new ArrayList<>();
      for (JsonNode l : model.get("traffic_lights")) {
        if (l.get("check").asText().equals("psi_month")) {
          (l.get("counts_in_verdict").asBoolean() ? counted : listed).add(l.get("subject").asText());
        }
      }
      assertFalse(listed.isEmpty() || counted.isEmpty(), model.get("traffic_lights").toString());
      assertTrue(listed.stream().allMatch(d -> counted.stream().allMatch(c -> d.compareTo(c) < 0)),
          "development months come before the counted ones: " + listed + " " + counted);
    }
  }

  @Test
  void validationMetricsHoldsOneRowPerModelSegmentAndMetricAndARerunReplacesThem() {
    Dataset<Row> rows = metricRows();
    long n = rows.count();
    assertTrue(n > 0);
    assertEquals(n, rows.select("model", "segment", "metric").distinct().count(), "no duplicate key");
    long models = rows.select("model").distinct().count();
    assertTrue(models >= 2);
    assertEquals(models, rows.where("segment = 'all' and metric = 'auc'").count());
    assertTrue(rows.where("segment like 'application_month=%' and metric = 'psi' and light is not null").count() > 0);
    assertTrue(rows.where("segment like 'risk_grade=%' and metric = 'jeffreys_p'").count() > 0);
    CommandLineTest.Run again = CommandLineTest.run(args("--model", f.trained().runId()));
    assertEquals(0, again.code(), again.err());
    assertEquals(n, metricRows().count());
  }

  @Test
  void reportHtmlShowsTheDeployedModelsVerdictWithTheStrategyAndVintages() throws Exception {
    JsonNode m = new ObjectMapper().readTree(new File(runDir, "metrics.json"));
    String deployed = m.get("deployed_model").asText();
    assertEquals(f.conf().calibrate().model(), deployed);
    String html = Files.readString(Path.of(runDir, "report.html"));
    String verdict = m.get("models").get(deployed).get("verdict").asText();
    assertTrue(html.contains("<div class=\"verdict " + verdict + "\" id=\"verdict\">"));
    assertTrue(html.contains("id=\"sec-strategy\"") && !html.contains("Not available: run calibrate first"));
    assertTrue(html.contains("id=\"sec-vintage\"") && !html.contains("Not available"), "every section has data");
    m.get("models").fieldNames().forEachRemaining(model -> assertEquals(!model.equals(deployed),
        Files.isRegularFile(Path.of(runDir, "report-" + model + ".html")), model));
    assertTrue(first.out().contains("Report: ") && first.out().contains("report.html"), first.out());
  }

  @Test
  void gateRedExitsFourAfterWritingWhenAnyModelHasARedLight() throws Exception {
    // Any PSI above zero is red under these thresholds; they also make another run id (the config differs).
    String[] red = args("--model", f.trained().runId(), "--gate", "red", "--set", "validation.psi.amber=0",
        "--set", "validation.psi.red=0");
    CommandLineTest.Run r = CommandLineTest.run(red);
    assertEquals(4, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("Validation gate failed: the verdict is red (") && r.err().contains(" psi_month "),
        r.err());
    var conf = f.conf().with(List.of("validation.psi.amber=0", "validation.psi.red=0"));
    String dir = RunFolder.path(conf, RunFolder.runId(TrainedDemo.AS_OF, conf));
    assertEquals("red", new ObjectMapper().readTree(new File(dir, "metrics.json")).get("verdict").asText());
    assertTrue(new File(dir, "report.html").isFile());
  }

  @Test
  void withoutScoredApplicationsOfTheDateValidateExitsWithBadInput() {
    CommandLineTest.Run r = CommandLineTest.run("validate", "--as-of", "2025-11-30", "--model", f.trained().runId(),
        "--set", "warehouse.path=" + f.warehouse());
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("scored applications of run " + f.trained().runId()), r.err());
  }
}
