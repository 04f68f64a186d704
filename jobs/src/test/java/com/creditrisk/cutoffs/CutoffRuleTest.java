package com.creditrisk.cutoffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CalibrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The one cutoff rule on hand-picked and random candidates, on the driver and as a Spark expression. */
class CutoffRuleTest {
  private static CutoffRule rule(CalibrateConfig.Policy kind, double target, double minApproval) {
    return new CutoffRule(kind, target, minApproval, 0.95);
  }

  @Test
  void aCandidateNeedsTheMinimumApprovalRateAndABadRateAtOrBelowTheTarget() {
    CutoffRule plain = rule(CalibrateConfig.Policy.TARGET_BAD_RATE, 0.1, 0.3);
    assertTrue(plain.qualifies(0.3, 0.1, () -> 1.0), "both bounds are inclusive");
    assertFalse(plain.qualifies(0.29, 0.05, () -> 0.0), "approves too few");
    assertFalse(plain.qualifies(0.9, 0.11, () -> 0.0), "bad rate above the target");
    assertFalse(plain.qualifies(0.9, null, () -> 0.0), "no labelled row: no bad rate, never meets a target");
    CutoffRule profit = rule(CalibrateConfig.Policy.MAX_PROFIT, 0.1, 0.3);
    assertTrue(profit.qualifies(0.3, null, () -> 1.0), "max profit needs the approval rate only");
    assertFalse(profit.qualifies(0.2, 0.0, () -> 0.0));
  }

  /**
   * The conservative rule skips the Jeffreys bound when the plain rate already misses the target:
   * on random counts, whole and fractional, it decides as the bound itself does.
   */
  @Test
  void theConservativeRuleDecidesAsTheJeffreysBoundWhetherOrNotItIsEvaluated() {
    Random rnd = new Random(7);
    int skipped = 0;
    for (int i = 0; i < 20_000; i++) {
      double n = 1 + rnd.nextInt(400) + (rnd.nextBoolean() ? rnd.nextDouble() : 0);
      double bads = Math.min(n, rnd.nextDouble() < 0.5 ? rnd.nextInt(8) : n * rnd.nextDouble());
      double target = rnd.nextDouble() * 0.6;
      double upper = Jeffreys.upperBound(bads, n, 0.95);
      boolean[] asked = {false};
      boolean q = rule(CalibrateConfig.Policy.TARGET_BAD_RATE_UPPER, target, 0.0).qualifies(1.0, bads / n, () -> {
        asked[0] = true;
        return upper;
      });
      assertEquals(upper <= target, q, bads + " bads of " + n + ", target " + target);
      skipped += asked[0] ? 0 : 1;
    }
    assertTrue(skipped > 1000, "the bound was skipped " + skipped + " times");
  }

  @Test
  void theMostPermissiveCutoffIsTheLowestWhenHigherIsSafeAndTheHighestOtherwise() {
    assertTrue(CutoffRule.morePermissive(500, 600, true));
    assertFalse(CutoffRule.morePermissive(500, 600, false));
  }

  /**
   * The distributed curve filters with the rule's column expression: on random curve rows (nulls,
   * ties at the target and at the minimum approval rate) it agrees with the driver's decision for
   * every policy.
   */
  @Test
  void theColumnExpressionDecidesAsTheDriverRuleOnEveryCurveRow() {
    Random rnd = new Random(11);
    List<Row> rows = new ArrayList<>();
    double[] grid = {0.0, 0.05, 0.1, 0.3, 0.5, 1.0};
    for (int i = 0; i < 400; i++) {
      double approval = rnd.nextBoolean() ? grid[rnd.nextInt(grid.length)] : rnd.nextDouble();
      Double bad = rnd.nextInt(6) == 0 ? null : (rnd.nextBoolean() ? grid[rnd.nextInt(4)] : rnd.nextDouble() * 0.4);
      Double upper = bad == null ? null : Math.min(1.0, bad + (rnd.nextBoolean() ? 0.0 : rnd.nextDouble() * 0.2));
      rows.add(RowFactory.create(i, approval, bad, upper));
    }
    StructType schema = new StructType().add("i", DataTypes.IntegerType).add("approval_rate", DataTypes.DoubleType)
        .add("bad_rate", DataTypes.DoubleType).add("bad_rate_upper", DataTypes.DoubleType);
    Dataset<Row> curve = TestSpark.get().createDataFrame(rows, schema);
    for (CalibrateConfig.Policy kind : CalibrateConfig.Policy.values()) {
      for (double target : new double[] {0.05, 0.1}) {
        CutoffRule r = rule(kind, target, 0.3);
        List<Row> out = curve.select(curve.col("i"), r.qualifiesColumn().as("q")).orderBy("i").collectAsList();
        for (Row o : out) {
          Row in = rows.get(o.getInt(0));
          Double upper = in.isNullAt(3) ? null : in.getDouble(3);
          boolean expected = r.qualifies(in.getDouble(1), in.isNullAt(2) ? null : in.getDouble(2),
              () -> upper == null ? Double.NaN : upper);
          assertEquals(expected, !o.isNullAt(1) && o.getBoolean(1), kind + " target " + target + " on " + in);
        }
      }
    }
  }
}
