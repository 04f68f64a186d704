package com.creditrisk.cutoffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CalibrateConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class CutoffCurveTest {
  static final StructType INPUT = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add(CutoffCurve.SCORE, DataTypes.DoubleType, true)
      .add(CutoffCurve.W_BAD, DataTypes.DoubleType, false)
      .add(CutoffCurve.W_GOOD, DataTypes.DoubleType, false)
      .add(CutoffCurve.PROFIT, DataTypes.DoubleType, false)
      .add(CutoffCurve.LOSS, DataTypes.DoubleType, false)
      .add(CutoffCurve.HIST_APPROVED, DataTypes.BooleanType, false);
  static final List<String> KEYS = List.of("segment");

  static Row row(String seg, Double score, double bad, double good, double profit, boolean approved) {
    return RowFactory.create(seg, score, bad, good, profit, 1.0, approved);
  }

  /**
   * Seven applications: five approved in the past with outcomes (700 good, 700 bad, 650 good, 600 bad,
   * 600 good), one rejected at 550 (no outcome) and one with no score. Worked by hand, approving
   * score >= c out of 7 applications:
   * <pre>
   *   c    approved  labelled  bads  bad rate  profit  extrapolated
   *  700      2         2       1     1/2       20     no
   *  650      3         3       1     1/3       30     no
   *  600      5         5       2     2/5       50     no
   *  550      6         5       2     2/5       60     yes (below 600, the lowest approved score)
   * </pre>
   * Jeffreys upper bound at c = 700: the 95% quantile of Beta(1.5, 1.5) = 0.90269 (bisection on the
   * numerically integrated density); at c = 650: Beta(1.5, 2.5).
   */
  static List<Row> handMade() {
    return List.of(
        row("all", 700.0, 0, 1, 10, true),
        row("all", 700.0, 1, 0, 10, true),
        row("all", 650.0, 0, 1, 10, true),
        row("all", 600.0, 1, 0, 10, true),
        row("all", 600.0, 0, 1, 10, true),
        row("all", 550.0, 0, 0, 10, false),
        row("all", null, 0, 0, 10, false));
  }

  @Test
  void curveCountsBadRatesBoundsAndProfitMatchTheHandWorkedTable() {
    SparkSession spark = TestSpark.get();
    try (CutoffCurve c = CutoffCurve.compute(spark, spark.createDataFrame(handMade(), INPUT), KEYS, true, 0.95)) {
      List<Row> rows = c.table().orderBy(org.apache.spark.sql.functions.col("cutoff").desc()).collectAsList();
      assertEquals(4, rows.size());
      double[][] expected = {
          {700, 2, 2, 1, 1.0 / 2, 20}, {650, 3, 3, 1, 1.0 / 3, 30}, {600, 5, 5, 2, 2.0 / 5, 50}, {550, 6, 5, 2, 2.0 / 5, 60}};
      for (int i = 0; i < 4; i++) {
        Row r = rows.get(i);
        assertEquals(expected[i][0], r.<Double>getAs("cutoff"));
        assertEquals(7L, r.<Long>getAs("n_total"));
        assertEquals((long) expected[i][1], r.<Long>getAs("n_approved"));
        assertEquals(expected[i][1] / 7, r.<Double>getAs("approval_rate"), 1e-15);
        assertEquals(expected[i][2], r.<Double>getAs("n_labelled"));
        assertEquals(expected[i][3], r.<Double>getAs("n_bad"));
        assertEquals(expected[i][4], r.<Double>getAs("bad_rate"), 1e-15);
        assertEquals(expected[i][5], r.<Double>getAs("expected_profit"), 1e-12);
        assertEquals(expected[i][1], r.<Double>getAs("expected_loss"), 1e-12);
        assertEquals(i == 3, r.<Boolean>getAs("extrapolated"));
        assertEquals(600.0, r.<Double>getAs("edge_score"));
      }
      assertEquals(0.902692, rows.get(0).<Double>getAs("bad_rate_upper"), 1e-5);
      assertEquals(Jeffreys.upperBound(1, 3, 0.95), rows.get(1).<Double>getAs("bad_rate_upper"), 0);
      assertTrue(rows.get(1).<Double>getAs("bad_rate_upper") < rows.get(0).<Double>getAs("bad_rate_upper"));
    }
  }

  @Test
  void policiesPickTheMostPermissiveQualifyingCutoffOfTheHandWorkedTable() {
    SparkSession spark = TestSpark.get();
    Dataset<Row> in = spark.createDataFrame(handMade(), INPUT);
    try (CutoffCurve c = CutoffCurve.compute(spark, in, KEYS, true, 0.95)) {
      // Bad rate <= 0.4 holds at 650, 600 and 550: the lowest is 550 (extrapolated, but it qualifies).
      assertEquals(550.0, pick(c, CalibrateConfig.Policy.TARGET_BAD_RATE, 0.4, 0.0));
      // Bad rate <= 0.35 holds at 650 only.
      assertEquals(650.0, pick(c, CalibrateConfig.Policy.TARGET_BAD_RATE, 0.35, 0.0));
      // ... but 650 approves 3/7 < 0.5: nothing qualifies.
      assertNull(pick(c, CalibrateConfig.Policy.TARGET_BAD_RATE, 0.35, 0.5));
      // No upper bound of so few rows is below 0.5.
      assertNull(pick(c, CalibrateConfig.Policy.TARGET_BAD_RATE_UPPER, 0.5, 0.0));
      // Profit grows with every approved row: the most permissive cutoff.
      assertEquals(550.0, pick(c, CalibrateConfig.Policy.MAX_PROFIT, 0, 0.0));
    }
  }

  private static Double pick(CutoffCurve c, CalibrateConfig.Policy kind, double target, double minApproval) {
    Row r = CutoffPolicy.choose(c.table(), KEYS, new CutoffRule(kind, target, minApproval, 0.95), true)
        .collectAsList().get(0);
    return r.isNullAt(r.fieldIndex("cutoff")) ? null : r.<Double>getAs("cutoff");
  }

  @Test
  void higherIsRiskApprovesAtOrBelowTheCutoff() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = List.of(row("s", 1.0, 0, 1, 1, true), row("s", 2.0, 1, 0, 1, true), row("s", 3.0, 0, 0, 1, false));
    try (CutoffCurve c = CutoffCurve.compute(spark, spark.createDataFrame(rows, INPUT), KEYS, false, 0.95)) {
      Map<Double, Row> byCutoff = new HashMap<>();
      c.table().collectAsList().forEach(r -> byCutoff.put(r.getAs("cutoff"), r));
      assertEquals(1L, byCutoff.get(1.0).<Long>getAs("n_approved"));
      assertEquals(0.0, byCutoff.get(1.0).<Double>getAs("bad_rate"));
      assertEquals(0.5, byCutoff.get(2.0).<Double>getAs("bad_rate"));
      assertFalse(byCutoff.get(2.0).<Boolean>getAs("extrapolated"));
      assertTrue(byCutoff.get(3.0).<Boolean>getAs("extrapolated"));
      assertEquals(3L, byCutoff.get(3.0).<Long>getAs("n_approved"));
    }
  }

  @Test
  void aSegmentWithoutHistoricalApprovalsIsExtrapolatedEverywhere() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = new ArrayList<>(handMade());
    rows.add(row("new", 500.0, 0, 0, 1, false));
    try (CutoffCurve c = CutoffCurve.compute(spark, spark.createDataFrame(rows, INPUT), KEYS, true, 0.95)) {
      Row r = c.table().where("segment = 'new'").collectAsList().get(0);
      assertTrue(r.<Boolean>getAs("extrapolated"));
      assertNull(r.getAs("bad_rate"));
      assertNull(r.getAs("edge_score"));
      assertEquals(1L, r.<Long>getAs("n_total"));
    }
  }
}
