package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.creditrisk.SharedData;
import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation pack against values computed independently in Python (sklearn, scipy, numpy) by
 * src/test/python/validation_reference.py, stored in resources/validation/reference.json. Every
 * statistic agrees to 1e-9 relative. The cases and their rules are described in the script.
 */
class ValidationReferenceTest {
  private static final double REL = 1e-9;
  private static JsonNode ref;
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = ValidationReferenceTest.class.getResourceAsStream("/validation/reference.json")) {
      ref = new ObjectMapper().readTree(in);
    }
  }

  private Dataset<Row> csv(String name) {
    return spark.read().option("header", "true").option("inferSchema", "true")
        .csv(SharedData.file(name).toString());
  }

  private static void close(double expected, double actual, String what) {
    assertEquals(expected, actual, REL * Math.max(Math.abs(expected), 1e-300), what);
  }

  private static void close(JsonNode expected, double actual, String what) {
    close(expected.asDouble(), actual, what);
  }

  private ValidationResult run(Dataset<Row> raw, ValidateScores.Input in) {
    return ValidateScores.validate(CreditRiskConfig.defaults(), in, "csv", raw, null);
  }

  private ValidateScores.Input input(String score, String label, String bad, boolean safe, String pd, String month,
      String compare, List<Double> targets) {
    return new ValidateScores.Input("ref", null, score, label, bad, safe, pd, null, month, null, compare, List.of(),
        targets, null, dir.resolve("out").toString());
  }

  private static void assertDiscrimination(JsonNode e, Discrimination.Result d) {
    assertEquals(e.get("n").asLong(), d.n());
    assertEquals(e.get("n_bad").asLong(), d.nBad());
    close(e.get("auc"), d.auc(), "auc");
    close(e.get("auc_se"), d.aucSe(), "DeLong SE");
    close(e.get("auc_ci95").get(0), d.aucCi95().lo(), "CI low");
    close(e.get("auc_ci95").get(1), d.aucCi95().hi(), "CI high");
    close(e.get("gini"), d.gini(), "gini");
    close(e.get("ks"), d.ks(), "ks");
    assertEquals(e.get("ks_score").asDouble(), d.ksScore(), 0.0, "ks score");
  }

  private static void assertPaired(JsonNode e, Discrimination.Paired p) {
    close(e.get("auc_a"), p.aucA(), "paired auc a");
    close(e.get("auc_b"), p.aucB(), "paired auc b");
    close(e.get("difference"), p.difference(), "paired difference");
    close(e.get("se"), p.se(), "paired se");
    close(e.get("z"), p.z(), "paired z");
    close(e.get("p_value"), p.pValue(), "paired p");
  }

  private static void assertRankOrdering(JsonNode e, RankOrdering.Result r) {
    List<Double> rates = new ArrayList<>();
    e.get("bad_rates").forEach(n -> rates.add(n.asDouble()));
    assertEquals(rates.size(), r.bands().size());
    for (int i = 0; i < rates.size(); i++) {
      close(rates.get(i), r.bands().get(i).badRate(), "band " + (i + 1));
    }
    List<Integer> breaks = new ArrayList<>();
    e.get("break_ranks").forEach(n -> breaks.add(n.asInt()));
    assertEquals(breaks, r.breaks().stream().map(RankOrdering.Break::rank).toList());
  }

  private static void assertCutoffs(JsonNode e, List<TargetCutoffs.Cutoff> cutoffs) {
    assertEquals(e.size(), cutoffs.size());
    for (int i = 0; i < e.size(); i++) {
      JsonNode x = e.get(i);
      TargetCutoffs.Cutoff c = cutoffs.get(i);
      assertEquals(x.get("cutoff").asDouble(), c.cutoff(), 0.0, "cutoff " + i);
      assertEquals(x.get("cutoff_conservative").asDouble(), c.cutoffConservative(), 0.0, "conservative " + i);
      close(x.get("approval_rate"), c.approvalRate(), "approval rate " + i);
      close(x.get("bad_rate"), c.badRate(), "bad rate " + i);
    }
  }

  @Test
  void helocExternalRiskEstimateMatchesSklearnScipyAndNumpy() {
    JsonNode e = ref.get("heloc");
    Dataset<Row> heloc = csv("heloc_dataset_v1.csv").where(col("ExternalRiskEstimate").notEqual(-9));
    ValidationResult r = run(heloc, input("ExternalRiskEstimate", "RiskPerformance", "Bad", true, null, null,
        "PercentTradesNeverDelq", List.of(0.3, 0.5)));
    assertDiscrimination(e, r.discrimination());
    assertPaired(e.get("paired"), r.paired());
    assertRankOrdering(e.get("rank_ordering"), r.rankOrdering());
    assertCutoffs(e.get("cutoffs"), r.cutoffs());
    assertNull(r.psi());
    Stability.Psi psi = Stability.psi(heloc.where("MSinceOldestTradeOpen < 200"), col("ExternalRiskEstimate"),
        heloc.where("MSinceOldestTradeOpen >= 200"), col("ExternalRiskEstimate"), null).total();
    close(e.get("psi"), psi.value(), "psi");
  }

  @Test
  void islrBalanceWhereHigherIsRiskMatchesSklearnScipyAndNumpy() {
    JsonNode e = ref.get("islr");
    Dataset<Row> islr = csv("islr_default.csv");
    ValidationResult r = run(islr, input("balance", "default", "Yes", false, null, null, "income",
        List.of(0.01, 0.05)));
    assertDiscrimination(e, r.discrimination());
    assertPaired(e.get("paired"), r.paired());
    assertRankOrdering(e.get("rank_ordering"), r.rankOrdering());
    assertCutoffs(e.get("cutoffs"), r.cutoffs());
    Stability.Psi psi = Stability.psi(islr.where("student = 'No'"), col("balance"), islr.where("student = 'Yes'"),
        col("balance"), null).total();
    close(e.get("psi"), psi.value(), "psi");
  }

  @Test
  void taiwanLogisticPdCalibrationMatchesScipyAndNumpy() {
    JsonNode e = ref.get("taiwan");
    Dataset<Row> taiwan = csv("taiwan_uci_credit_card.csv")
        .withColumn("pd", expr("1 / (1 + exp(-(" + e.get("z").asText() + ")))"))
        .withColumn("month", expr("element_at(array('2005-04', '2005-05', '2005-06'), cast(ID % 3 as int) + 1)"));
    ValidationResult r = run(taiwan, input("pd", "Y", null, false, "pd", "month", null, List.of()));
    assertDiscrimination(e, r.discrimination());
    assertRankOrdering(e.get("rank_ordering"), r.rankOrdering());
    close(e.get("brier"), r.calibration().brier(), "brier");
    JsonNode hl = e.get("hosmer_lemeshow");
    close(hl.get("chi2"), r.hosmerLemeshow().chi2(), "HL chi2");
    assertEquals(hl.get("df").asInt(), r.hosmerLemeshow().df());
    close(hl.get("p_value"), r.hosmerLemeshow().pValue(), "HL p");
    close(hl.get("p_value_oos"), r.hosmerLemeshow().pValueOos(), "HL p oos");
    assertJeffreys(e.get("jeffreys_portfolio"), r.jeffreysPortfolio());
    JsonNode grades = e.get("jeffreys_grades");
    assertEquals(grades.size(), r.jeffreysByGrade().size());
    for (PdAccuracy.Jeffreys g : r.jeffreysByGrade()) {
      assertJeffreys(grades.get(g.grade()), g);
    }
    close(e.get("herfindahl"), r.herfindahl(), "herfindahl");
    assertEquals("2005-04", r.psiBaseline());
    assertEquals(List.of("2005-05", "2005-06"), List.copyOf(r.psiByMonth().keySet()));
    for (Map.Entry<String, Stability.Psi> m : r.psiByMonth().entrySet()) {
      close(e.get("psi_by_month").get(m.getKey()), m.getValue().value(), "psi " + m.getKey());
    }
  }

  private static void assertJeffreys(JsonNode e, PdAccuracy.Jeffreys j) {
    String g = "grade " + j.grade();
    assertEquals(e.get("n").asLong(), j.n(), g);
    assertEquals(e.get("defaults").asLong(), j.defaults(), g);
    close(e.get("mean_pd"), j.meanPd(), g + " mean PD");
    close(e.get("p_value"), j.pValue(), g + " p");
    close(e.get("lower95"), j.lower95(), g + " lower");
    close(e.get("upper95"), j.upper95(), g + " upper");
  }
}
