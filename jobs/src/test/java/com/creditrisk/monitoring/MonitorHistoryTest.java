package com.creditrisk.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.GeneratedWarehouse;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.pipeline.PipelineRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitor} on a real history: the pipeline run at three monthly as-of dates on generated
 * data (5,000 customers; trained at the first date, the later runs score with those models since
 * run.retrain_every_days is 90), then monitor over all of it. Every trend row must be the figure
 * validate recorded for its date and model, and every KS must be judged against the model card.
 */
class MonitorHistoryTest {
  private static final List<LocalDate> DATES = List.of(LocalDate.of(2025, 10, 31), LocalDate.of(2025, 11, 30),
      LocalDate.of(2025, 12, 31));

  @TempDir
  static Path dir;

  private static List<String> sets;
  private static CreditRiskConfig conf;
  private static int exit;

  @BeforeAll
  static void runThePipelineMonthlyThenMonitor() {
    sets = new ArrayList<>(GeneratedWarehouse.generate(dir, 5000));
    sets.add("run.retrain_every_days=90");
    conf = CreditRiskConfig.defaults().with(sets);
    for (LocalDate d : DATES) {
      PipelineRun.run(TestSpark.get(), new PipelineRun.Input(conf, d, false));
    }
    List<String> args = new ArrayList<>(List.of("monitor"));
    sets.forEach(s -> args.addAll(List.of("--set", s)));
    exit = CreditRisk.execute(args.toArray(String[]::new));
  }

  /** "date model metric" -> value of this config's validation_metrics, segment all. */
  private static Map<String, Double> validationMetrics(SparkSession spark) {
    Map<String, Double> out = new HashMap<>();
    for (Row r : spark.read().format("delta").load(conf.warehousePath() + "/validation_metrics")
        .where(col("segment").equalTo("all").and(col("value").isNotNull())
            .and(col("run_id").endsWith("-" + conf.fingerprint()))).collectAsList()) {
      out.put(r.getAs("as_of_date") + " " + r.getAs("model") + " " + r.getAs("metric"), r.getAs("value"));
    }
    return out;
  }

  @Test
  void everyTrendRowIsTheValueValidateRecordedForItsDateAndModel() throws Exception {
    assertEquals(0, exit, "monitor ran; no gate asked, so a red verdict still exits 0");
    SparkSession spark = TestSpark.get();
    Map<String, Double> v = validationMetrics(spark);
    List<Row> rows = spark.read().format("delta").load(conf.warehousePath() + "/monitoring_metrics")
        .where(col("segment").equalTo("all")).collectAsList();
    TreeSet<String> dates = new TreeSet<>();
    TreeSet<String> models = new TreeSet<>();
    int checked = 0;
    int approvals = 0;
    for (Row r : rows) {
      String key = r.getAs("as_of_date") + " " + r.getAs("model") + " ";
      dates.add(r.getDate(r.fieldIndex("as_of_date")).toString());
      models.add(r.getAs("model"));
      double value = r.getAs("value");
      switch ((String) r.getAs("indicator")) {
        case "auc" -> {
          assertEquals(v.get(key + "auc"), value, 0.0, key);
          assertEquals(v.get(key + "auc_ci95_low"), r.getAs("low"), key);
          assertEquals(v.get(key + "auc_ci95_high"), r.getAs("high"), key);
          assertEquals(v.get(key + "development_auc"), r.getAs("reference"), key);
          assertNotNull(r.getAs("light"), key + "judged against the development AUC");
          checked++;
        }
        case "ks" -> {
          assertEquals(v.get(key + "ks"), value, 0.0, key);
          assertNotNull(r.getAs("reference"), key + "development KS from the model card");
          assertNotNull(r.getAs("light"), key);
          checked++;
        }
        case "psi" -> {
          assertEquals(v.get(key + "psi"), value, 0.0, key);
          checked++;
        }
        case "bad_rate_ratio" -> {
          assertEquals(v.get(key + "observed_bad_rate") / v.get(key + "mean_pd"), value, 1e-12, key);
          checked++;
        }
        case "approval_rate" -> {
          assertEquals(v.get(key + "approval_rate"), value, 0.0, key);
          assertEquals(v.get(DATES.get(0) + " " + r.getAs("model") + " approval_rate"), r.getAs("reference"),
              key + "against the first date monitored");
          approvals++;
        }
        default -> { }
      }
    }
    assertEquals(DATES.size(), approvals, "the approval rate of calibrate's model at every date");
    TreeSet<String> csiDates = new TreeSet<>();
    spark.read().format("delta").load(conf.warehousePath() + "/monitoring_metrics")
        .where(col("indicator").equalTo("csi").and(col("model").equalTo("scorecard"))
            .and(col("segment").startsWith("csi=")))
        .collectAsList().forEach(r -> csiDates.add(r.getDate(r.fieldIndex("as_of_date")).toString()));
    assertEquals(dates, csiDates, "the CSI of the scorecard's features at every date");
    assertEquals(DATES.stream().map(LocalDate::toString).toList(), List.copyOf(dates));
    assertTrue(models.contains("scorecard") && models.contains("score_logistic"), models.toString());
    assertTrue(checked >= 3 * 2 * 3, "AUC, KS and bad-rate ratio (PSI where recorded) of every date and model: "
        + checked);
    assertTrue(Files.isRegularFile(Path.of(conf.warehousePath(), "monitoring", "2025-12-31", "report.html")));
    String missing = new ObjectMapper().readTree(Path.of(conf.warehousePath(), "monitoring", "2025-12-31",
        "monitoring.json").toFile()).get("missing").toString();
    assertTrue(!missing.contains("approval rate") && !missing.contains("CSI"), missing);
  }
}
