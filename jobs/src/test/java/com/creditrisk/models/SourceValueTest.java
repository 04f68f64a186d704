package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.GeneratedWarehouse;
import com.creditrisk.SignalAndNoiseSources;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate-sources on generated data with two sources whose worth is known by construction: a
 * vendor signal made from the outcome (it must pay when free and not pay at a prohibitive price)
 * and customer events of pure noise (never significant).
 */
class SourceValueTest {
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  @Test
  void aSignalSourcePaysWhenFreeNotAtAPriceAndNoiseIsNotSignificant(@TempDir Path dir) throws Exception {
    List<String> sets = new ArrayList<>(GeneratedWarehouse.generate(dir, 4000));
    assertEquals(0, build(sets));
    sets.addAll(SignalAndNoiseSources.write(spark, dir));
    assertEquals(0, build(sets));

    CreditRiskConfig conf = CreditRiskConfig.defaults().with(sets);
    SourceValue.Result free = SourceValue.run(spark, new SourceValue.Input(conf, AS_OF));
    Map<String, SourceValue.Value> byName = byName(free);
    SourceValue.Value v = byName.get("vendor");
    assertEquals("pays", v.verdict(), v.toString());
    assertTrue(v.overScore().test().difference() > 0.05 && v.overScore().test().pValue() < 1e-6, v.toString());
    assertTrue(v.strategy().badsAvoidedPer1000Approvals() > 0, v.toString());
    assertTrue(v.coverage() > 0.85 && v.coverage() < 0.95, "a tenth of the applications has no vendor row: "
        + v.coverage());
    SourceValue.Value n = byName.get("noise");
    assertEquals("not significant", n.verdict(), n.toString());
    // The comparisons are on the same out-of-time loans.
    assertEquals(free.rows(), v.overOthers().test().n());

    JsonNode json = new ObjectMapper().readTree(new File(free.sourcesJson()));
    assertEquals("evaluate-sources", json.get("command").asText());
    // Sources in name order; with two sources "all but one" is "the score with the other": fitted once.
    assertEquals("noise", json.at("/sources/0/source").asText());
    assertEquals("pays", json.at("/sources/1/verdict").asText());
    assertEquals("score+noise", json.at("/sources/1/over_other_sources/without").asText());
    List<String> fitted = new ArrayList<>();
    json.get("feature_sets").fieldNames().forEachRemaining(fitted::add);
    assertEquals(List.of("score", "score+noise", "score+vendor", "all"), fitted);

    List<String> priced = new ArrayList<>(sets);
    priced.add("feature_sources.vendor.cost_per_application=100000");
    SourceValue.Value dear = byName(SourceValue.run(spark,
        new SourceValue.Input(CreditRiskConfig.defaults().with(priced), AS_OF))).get("vendor");
    assertEquals("does not pay", dear.verdict());
    assertEquals(v.valuePer1000() - 1000.0 * 100000, dear.valuePer1000(), 1e-6);
  }

  private static int build(List<String> sets) {
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", AS_OF.toString()));
    sets.forEach(s -> a.addAll(List.of("--set", s)));
    return CreditRisk.execute(a.toArray(new String[0]));
  }

  private static Map<String, SourceValue.Value> byName(SourceValue.Result r) {
    Map<String, SourceValue.Value> m = new java.util.LinkedHashMap<>();
    r.values().forEach(x -> m.put(x.source(), x));
    return m;
  }
}
