package com.creditrisk.cutoffs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CalibrateConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On random data (200 seeds, each its own segment, computed in one Spark pass), the chosen cutoff of
 * every policy equals a brute-force search that recounts the approved rows of every candidate from
 * scratch. Scores are drawn from a few values so ties are common, outcomes include unknown and
 * fractional (reject inference) weights, profits are whole numbers so profit ties happen too.
 */
class CutoffPolicyPropertyTest {
  static final int SEEDS = 200;

  record Obs(Double score, double bad, double good, double profit, boolean approved) {}

  static Map<String, List<Obs>> randomSegments() {
    Map<String, List<Obs>> segs = new HashMap<>();
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      int n = 1 + rnd.nextInt(60);
      int levels = 1 + rnd.nextInt(12);
      int oldCutoff = rnd.nextInt(levels);
      List<Obs> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Double score = rnd.nextInt(10) == 0 ? null : (double) (500 + 10 * rnd.nextInt(levels));
        boolean approved = score != null && score >= 500 + 10 * oldCutoff;
        double bad;
        double good;
        if (approved && rnd.nextInt(5) > 0) {
          bad = rnd.nextInt(4) == 0 ? 1 : 0;
          good = 1 - bad;
        } else if (!approved && rnd.nextBoolean()) {
          bad = rnd.nextInt(5) / 4.0;
          good = 1 - bad;
        } else {
          bad = 0;
          good = 0;
        }
        rows.add(new Obs(score, bad, good, rnd.nextInt(41) - 20, approved));
      }
      segs.put("seed" + seed, rows);
    }
    return segs;
  }

  /** The brute force: every candidate recounted over all rows of its segment. */
  static Double bruteForce(List<Obs> rows, CalibrateConfig.Policy kind, double target, double minApproval, boolean safe) {
    TreeSet<Double> candidates = new TreeSet<>();
    rows.stream().filter(o -> o.score() != null).forEach(o -> candidates.add(o.score()));
    Double best = null;
    double bestProfit = Double.NEGATIVE_INFINITY;
    for (double c : safe ? candidates : candidates.descendingSet()) {
      long approved = 0;
      double bad = 0;
      double labelled = 0;
      double profit = 0;
      for (Obs o : rows) {
        if (o.score() != null && (safe ? o.score() >= c : o.score() <= c)) {
          approved++;
          bad += o.bad();
          labelled += o.bad() + o.good();
          profit += o.profit();
        }
      }
      if ((double) approved / rows.size() < minApproval) {
        continue;
      }
      boolean ok = switch (kind) {
        case TARGET_BAD_RATE -> labelled > 0 && bad / labelled <= target;
        case TARGET_BAD_RATE_UPPER -> labelled > 0 && Jeffreys.upperBound(bad, labelled, 0.95) <= target;
        case MAX_PROFIT -> profit > bestProfit;
      };
      if (ok && kind != CalibrateConfig.Policy.MAX_PROFIT) {
        return c;
      }
      if (ok) {
        best = c;
        bestProfit = profit;
      }
    }
    return best;
  }

  @ParameterizedTest(name = "higher is safe: {0}")
  @ValueSource(booleans = {true, false})
  void chosenCutoffEqualsBruteForceForEveryPolicy(boolean safe) {
    SparkSession spark = TestSpark.get();
    Map<String, List<Obs>> segs = randomSegments();
    List<Row> rows = new ArrayList<>();
    segs.forEach((seg, obs) -> obs.forEach(o -> rows.add(RowFactory.create(seg, o.score(), o.bad(), o.good(),
        o.profit(), 1.0, o.approved()))));
    try (CutoffCurve curve = CutoffCurve.compute(spark, spark.createDataFrame(rows, CutoffCurveTest.INPUT),
        CutoffCurveTest.KEYS, safe, 0.95)) {
      curve.table().cache();
      double[][] settings = {{0.2, 0.0}, {0.25, 0.3}, {0.5, 0.0}, {0.1, 0.6}};
      int checked = 0;
      for (CalibrateConfig.Policy kind : CalibrateConfig.Policy.values()) {
        for (double[] s : settings) {
          Map<String, Double> chosen = new HashMap<>();
          for (Row r : CutoffPolicy.choose(curve.table(), CutoffCurveTest.KEYS,
              new CutoffRule(kind, s[0], s[1], 0.95), safe).collectAsList()) {
            chosen.put(r.getString(0), r.isNullAt(r.fieldIndex("cutoff")) ? null : r.getAs("cutoff"));
          }
          for (Map.Entry<String, List<Obs>> e : segs.entrySet()) {
            if (e.getValue().stream().allMatch(o -> o.score() == null)) {
              continue;
            }
            assertEquals(bruteForce(e.getValue(), kind, s[0], s[1], safe), chosen.get(e.getKey()),
                kind + " target " + s[0] + " min approval " + s[1] + " in " + e.getKey());
            checked++;
          }
        }
      }
      assertEquals(true, checked > 2000, "checked " + checked);
      curve.table().unpersist();
    }
  }
}
