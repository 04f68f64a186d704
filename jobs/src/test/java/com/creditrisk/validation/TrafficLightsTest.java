package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.ValidationConfig;
import com.creditrisk.io.SparkJobCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Traffic lights and the verdict from the default validation.* thresholds; PSI per month in a fixed number of jobs. */
class TrafficLightsTest {
  private static final ValidationConfig DEFAULTS = CreditRiskConfig.defaults().validation();

  private static PdAccuracy.Jeffreys jeffreys(String grade, double p) {
    return new PdAccuracy.Jeffreys(grade, 100, 5, 0.05, 0.05, p, 0.02, 0.1);
  }

  private static TrafficLights.Inputs inputs(PdAccuracy.Jeffreys portfolio, List<PdAccuracy.Jeffreys> grades,
      Double aucDrop) {
    return new TrafficLights.Inputs(null, Map.of(), Map.of(), portfolio, grades, null, aucDrop,
        new RankOrdering.Result(List.of(), List.of()));
  }

  @Test
  void aRedGradeIsListedButThePortfolioJeffreysTestDecidesTheVerdict() {
    List<TrafficLights.Light> lights = TrafficLights.evaluate(inputs(jeffreys("portfolio", 0.4),
        List.of(jeffreys("3", 0.01), jeffreys("4", 0.5)), null), DEFAULTS);
    TrafficLights.Light grade3 = lights.stream().filter(l -> "3".equals(l.subject())).findFirst().orElseThrow();
    assertEquals(TrafficLights.RED, grade3.level());
    assertFalse(grade3.counts());
    assertEquals(TrafficLights.GREEN, TrafficLights.verdict(lights));
    assertEquals(TrafficLights.RED, TrafficLights.verdict(TrafficLights.evaluate(inputs(jeffreys("portfolio", 0.01),
        List.of(), null), DEFAULTS)));
    assertEquals(TrafficLights.AMBER, TrafficLights.verdict(TrafficLights.evaluate(inputs(jeffreys("portfolio", 0.07),
        List.of(), null), DEFAULTS)));
  }

  @Test
  void anAucDropBeyondTwoDeLongErrorsIsRedAndBeyondOneAmber() {
    assertEquals(TrafficLights.RED, TrafficLights.verdict(TrafficLights.evaluate(inputs(null, List.of(), 2.01),
        DEFAULTS)));
    assertEquals(TrafficLights.AMBER, TrafficLights.verdict(TrafficLights.evaluate(inputs(null, List.of(), 2.0),
        DEFAULTS)));
    assertEquals(TrafficLights.GREEN, TrafficLights.verdict(TrafficLights.evaluate(inputs(null, List.of(), -3.0),
        DEFAULTS)));
  }

  @Test
  void psiBandsFollowTheConfiguredThresholds() {
    ValidationConfig strict = CreditRiskConfig.load(List.of(), List.of("validation.psi.red=0.15")).validation();
    Stability.Psi psi = new Stability.Psi(0.2, Stability.band(0.2), 10, 10, List.of());
    TrafficLights.Inputs in = new TrafficLights.Inputs(psi, Map.of(), Map.of(), null, List.of(), null, null,
        new RankOrdering.Result(List.of(), List.of()));
    assertEquals(TrafficLights.AMBER, TrafficLights.verdict(TrafficLights.evaluate(in, DEFAULTS)));
    assertEquals(TrafficLights.RED, TrafficLights.verdict(TrafficLights.evaluate(in, strict)));
  }

  /** The months are one grouping key of one aggregation: 2 months or 12 take the same number of Spark jobs. */
  @Test
  void psiPerMonthTakesTheSameNumberOfSparkJobsWhateverTheNumberOfMonths() {
    assertEquals(jobsForMonths(2), jobsForMonths(12));
  }

  private int jobsForMonths(int months) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      rows.add(new Object[] {(double) (i * 7 % 97), "m" + (10 + i % months)});
    }
    Dataset<Row> df = Rows.df(Rows.schema("x double", "m string"), rows.toArray(new Object[0][]));
    SparkJobCounter jobs = SparkJobCounter.start(TestSpark.get());
    Stability.Grouped g;
    try (jobs) {
      g = Stability.psi(df, col("x"), df, col("x"), col("m"));
    }
    assertEquals(months, g.byGroup().size());
    assertTrue(g.total().value() < 1e-12, "a sample against itself");
    return jobs.jobs();
  }
}
