package com.creditrisk.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.TrainedDemo;
import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.calibrate.CutoffsFile;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.run.FinishedBuilds;
import com.creditrisk.run.RunFolder;
import com.creditrisk.validation.Stability;
import com.creditrisk.validation.TrafficLights;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
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

  /**
   * The approval rate at calibrate's chosen cutoffs (cutoffs.json, without reject inference) on
   * every scored application of calibrate's model in the months after those holding train rows,
   * counted here row by row on the driver: approved when the score rounded to whole points is at
   * least the segment's cutoff.
   */
  @Test
  void recordsTheApprovalRateAtTheChosenCutoffsOnTheApplicationsAfterTheDevelopmentMonths() throws Exception {
    String model = f.conf().calibrate().model();
    Map<String, Map<String, Double>> cutoffs = CutoffsFile.read(spark, runDir).orElseThrow().modelCutoffs();
    WarehouseTable scored = WarehouseTable.SCORED_APPLICATIONS;
    List<Row> apps = scored.readRun(spark, f.conf(), scored.currentVersion(spark, f.conf()).orElseThrow(),
        TrainedDemo.AS_OF, f.trained().runId()).where(col("model").equalTo(model))
        .select("application_month", "split", "product", "channel", "model_score").collectAsList();
    Set<String> devMonths = new TreeSet<>();
    apps.stream().filter(r -> "train".equals(r.getString(1))).forEach(r -> devMonths.add(r.getString(0)));
    Map<String, long[]> expected = new TreeMap<>();
    for (Row r : apps) {
      if (devMonths.contains(r.getString(0)) || r.isNullAt(4)) {
        continue;
      }
      long points = Math.round(r.getDouble(4));
      String segment = "product,channel=" + r.getString(2) + "/" + r.getString(3);
      for (String s : List.of("all", segment)) {
        Double cutoff = s.equals("all") ? cutoffs.get("all").get("all")
            : cutoffs.getOrDefault("product,channel", Map.of()).get(segment.substring("product,channel=".length()));
        if (cutoff != null) {
          long[] c = expected.computeIfAbsent(s, k -> new long[] {0, 0});
          c[0]++;
          c[1] += points >= cutoff ? 1 : 0;
        }
      }
    }
    // A segment under privacy.min_cell_count is not recorded: monitor would chart it.
    expected.values().removeIf(c -> c[0] < f.conf().minCellCount());
    assertTrue(expected.size() > 3, "all and several segments: " + expected.keySet());
    Map<String, Double> recorded = new TreeMap<>();
    for (Row r : metricRows().where(col("metric").equalTo("approval_rate")).collectAsList()) {
      assertEquals(model, r.getAs("model"));
      recorded.put(r.getAs("segment"), r.getAs("value"));
    }
    assertEquals(expected.keySet(), recorded.keySet());
    expected.forEach((s, c) -> assertEquals((double) c[1] / c[0], recorded.get(s), 1e-12, s));
    double allRate = recorded.get("all");
    assertTrue(allRate > 0.05 && allRate < 0.95, "a cutoff that approves some and rejects some: " + allRate);
    JsonNode json = new ObjectMapper().readTree(new File(runDir, "metrics.json")).get("approval_at_chosen_cutoff");
    assertEquals(model, json.get("model").asText());
    assertEquals(expected.get("all")[0], json.at("/segments/0/applications").asLong());
    assertEquals(cutoffs.get("all").get("all"), json.at("/segments/0/cutoff").asDouble(), 0);
  }

  /**
   * The CSI of the scorecard's selected numeric features, each equal to Stability.psi run directly
   * on model_dataset: the applications of the months holding train rows against the later ones. A
   * light each, listed but not counted: the verdict is the one the other lights give.
   */
  @Test
  void recordsTheCsiOfTheScorecardsFeaturesAsStabilityComputesIt() throws Exception {
    JsonNode card = new ObjectMapper().readTree(new File(RunFolder.path(f.conf(), f.trained().runId()),
        "model_card.json"));
    WarehouseTable table = WarehouseTable.MODEL_DATASET;
    Dataset<Row> md = table.readAsOf(spark, f.conf(), FinishedBuilds.version(spark, f.conf(), table,
        TrainedDemo.AS_OF).orElseThrow(), TrainedDemo.AS_OF);
    Dataset<Row> devMonths = md.where(col("split").equalTo("train")).select("application_month").distinct();
    Dataset<Row> development = md.join(devMonths, "application_month", "left_semi");
    Dataset<Row> later = md.join(devMonths, "application_month", "left_anti");
    Map<String, Double> expected = new TreeMap<>();
    for (JsonNode feature : card.at("/scorecard/features")) {
      String name = feature.asText();
      if (md.schema().apply(name).dataType() instanceof NumericType) {
        expected.put("csi=" + name, Stability.psi(development, col(name), later, col(name), null).total().value());
      }
    }
    assertFalse(expected.isEmpty(), "the demo scorecard selects numeric features: " + card.at("/scorecard"));
    Map<String, Double> recorded = new TreeMap<>();
    for (Row r : metricRows().where(col("metric").equalTo("csi")).collectAsList()) {
      assertEquals("scorecard", r.getAs("model"));
      assertTrue(r.getAs("light") != null);
      recorded.put(r.getAs("segment"), r.getAs("value"));
    }
    assertEquals(expected, recorded);
    JsonNode scorecard = new ObjectMapper().readTree(new File(runDir, "metrics.json")).at("/models/scorecard");
    assertEquals(expected.size(), scorecard.get("csi").size());
    List<TrafficLights.Light> others = new ArrayList<>();
    for (JsonNode l : scorecard.get("traffic_lights")) {
      if (l.get("check").asText().equals("csi")) {
        assertFalse(l.get("counts_in_verdict").asBoolean(), l.toString());
      } else {
        others.add(new TrafficLights.Light(l.get("check").asText(), null, 0, l.get("level").asText(),
            l.get("counts_in_verdict").asBoolean(), ""));
      }
    }
    assertEquals(TrafficLights.verdict(others), scorecard.get("verdict").asText());
    String largest = expected.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    String html = Files.readString(Path.of(runDir, "report.html"));
    assertTrue(html.contains("Max feature CSI (" + largest.substring("csi=".length()) + ")"),
        "the deployed scorecard's report heads with its largest CSI");
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
