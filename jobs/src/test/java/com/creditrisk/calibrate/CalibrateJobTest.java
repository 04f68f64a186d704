package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.TrainedDemo;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.models.ScoreApplications;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** calibrate end to end on the trained demo data (see {@link TrainedDemo}). */
class CalibrateJobTest {
  static SparkSession spark;
  static TrainedDemo.Fixture f;
  static CalibrateJob.Result result;

  @BeforeAll
  static void calibrate() throws Exception {
    spark = TestSpark.get();
    f = TrainedDemo.get();
    ScoreApplications.run(spark, new ScoreApplications.Input(f.conf(), TrainedDemo.AS_OF, f.trained().runId()));
    result = CalibrateJob.run(spark, new CalibrateJob.Input(f.conf(), TrainedDemo.AS_OF, f.trained().runId()));
  }

  static Dataset<Row> curve() {
    return spark.read().format("delta").load(result.curvePath())
        .where(col("model_run_id").equalTo(f.trained().runId()));
  }

  @Test
  void curveHoldsEveryDistinctScoreOfEverySegmentForBothScoresWithAndWithoutRejectInference() throws Exception {
    Dataset<Row> c = curve();
    assertEquals(result.curveRows(), c.count());
    assertEquals(2, c.select("score_source").distinct().count());
    assertEquals(List.of("fuzzy", "none"), c.select("reject_inference").distinct().orderBy("reject_inference")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    // Candidates of the consumer-score curve of "all" = the distinct scores of the population.
    long distinct = spark.read().format("delta").load(f.warehouse() + "/scored_applications")
        .where(col("model").equalTo("scorecard").and(col("model_run_id").equalTo(f.trained().runId())))
        .where(col("application_month").isin((Object[]) monthsOfPopulation()))
        .where(col("score_at_application").isNotNull()).select("score_at_application").distinct().count();
    assertEquals(distinct, c.where("score_source = 'score' and segment = 'all' and reject_inference = 'none'").count());
    // Approval rate rises as the cutoff falls; the most permissive candidate approves every scored row.
    List<Row> all = c.where("score_source = 'model' and segment = 'all' and reject_inference = 'none'")
        .orderBy(col("cutoff").desc()).collectAsList();
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i).<Double>getAs("approval_rate") > all.get(i - 1).<Double>getAs("approval_rate"));
    }
    Row last = all.get(all.size() - 1);
    assertEquals(last.<Long>getAs("n_total"), last.<Long>getAs("n_approved"));
  }

  private static Object[] monthsOfPopulation() throws Exception {
    JsonNode j = new ObjectMapper().readTree(new File(result.runDir(), "cutoffs.json"));
    List<String> m = new ArrayList<>();
    j.get("population_months").forEach(n -> m.add(n.asText()));
    assertEquals(f.conf().calibrate().months(), m.size());
    return m.toArray();
  }

  @Test
  void consumerScoreCutoffsBelowTheHistoricalPolicyAreExtrapolated() {
    Row edge = curve().where("score_source = 'score' and segment = 'all' and reject_inference = 'none'")
        .agg(org.apache.spark.sql.functions.min(col("cutoff")), org.apache.spark.sql.functions.first(col("edge_score")))
        .first();
    double lowest = edge.getDouble(0);
    double historical = edge.getDouble(1);
    assertTrue(lowest < historical, "the rejected applicants score below every approved one");
    assertEquals(0, curve().where("score_source = 'score' and segment = 'all'")
        .where(col("extrapolated").notEqual(col("cutoff").lt(historical))).count());
  }

  @Test
  void chosenCutoffsMeetThePolicyAndCutoffsJsonExplainsThem() throws Exception {
    JsonNode j = new ObjectMapper().readTree(new File(result.runDir(), "cutoffs.json"));
    double target = f.conf().calibrate().targetBadRate();
    int decided = 0;
    for (JsonNode c : j.get("cutoffs")) {
      JsonNode chosen = c.get("chosen");
      assertNotNull(chosen.get("reason"), c.toString());
      if (!chosen.get("cutoff").isNull()) {
        assertTrue(chosen.get("bad_rate_upper").asDouble() <= target, c.toString());
        decided++;
      }
      assertEquals(c.get("too_small").asBoolean(), c.get("observed_bads").asLong() < f.conf().calibrate().minBads());
      assertTrue(c.get("by_policy").has("max_profit") && c.get("by_policy").has("target_bad_rate"));
    }
    assertTrue(decided > 0);
    JsonNode cells = j.at("/swap_sets/cells");
    long n = 0;
    for (String cell : List.of("both_approve", "score_only_approves", "model_only_approves", "both_reject")) {
      n += cells.get(cell).get("n").asLong();
    }
    assertEquals(j.at("/swap_sets/applications").asLong(), n);
    assertTrue(new File(result.runDir(), "calibration.json").isFile());
  }

  /**
   * On the test rows a grade's mean calibrated PD is its observed bad rate, except that the floor
   * lifts a block without a bad to pd_floor: within pd_floor of it, and never 0. (Before the floor,
   * grade 1 of the logistic, scorecard and GBT models had PD exactly 0 on the demo.)
   */
  @Test
  void isotonicMasterScaleMatchesObservedBadRatesOnTheTestRowsAndNoGradeHasPd0() throws Exception {
    JsonNode cal = new ObjectMapper().readTree(new File(result.runDir(), "calibration.json"));
    double floor = f.conf().calibrate().pdFloor();
    for (String model : List.of("score_logistic", "scorecard", "gbt")) {
      JsonNode iso = cal.get(model).get("isotonic");
      JsonNode pds = iso.get("pd_at_boundaries");
      for (int i = 1; i < pds.size(); i++) {
        assertTrue(pds.get(i).asDouble() <= pds.get(i - 1).asDouble(), model + " non-increasing");
      }
      for (JsonNode g : iso.get("master_scale")) {
        assertTrue(g.get("mean_pd").asDouble() >= floor && g.get("mean_pd").asDouble() <= 1 - floor, model + " " + g);
        assertTrue(g.get("pd_lower").asDouble() >= floor && g.get("pd_upper").asDouble() <= 1 - floor, model + " " + g);
        if (g.get("split").asText().equals("test")) {
          assertEquals(g.get("observed_bad_rate").asDouble(), g.get("mean_pd").asDouble(), floor + 1e-9, model + " " + g);
        }
      }
      for (String method : List.of("isotonic", "platt")) {
        assertEquals(floor, cal.get(model).get(method).get("pd_floor").asDouble(), model + " " + method);
      }
    }
  }

  @Test
  void aRerunReplacesItsCurveRows() {
    long before = curve().count();
    CalibrateJob.Result again = CalibrateJob.run(spark, new CalibrateJob.Input(f.conf(), TrainedDemo.AS_OF,
        f.trained().runId()));
    assertEquals(before, curve().count());
    assertEquals(result.curveVersion() + 1, again.curveVersion());
    assertFalse(again.choices().isEmpty());
  }

  @Test
  void calibrateWithoutScoredApplicationsExitsWithBadInput() {
    assertEquals(3, CreditRisk.execute("calibrate", "--as-of", "2025-12-31", "--model", f.trained().runId(),
        "--set", "warehouse.path=" + f.dir().resolve("no-such-warehouse")));
  }
}
