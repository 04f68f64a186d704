package com.creditrisk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class DiscriminationTest {
  private final SparkSession spark = TestSpark.get();

  /**
   * pd and label: 0.1 good, 0.2 bad, 0.2 good, 0.3 good, 0.4 bad, 0.5 bad; plus rows with a null
   * pd or label, which are left out. Bad 0.2 beats good 0.1 and ties good 0.2 (1.5 pairs); bads
   * 0.4 and 0.5 beat all three goods (6): AUC = 7.5 / 9. Cumulative shares (bad, good) after each
   * score: 0.1 (0, 1/3), 0.2 (1/3, 2/3), 0.3 (1/3, 1), 0.4 (2/3, 1), 0.5 (1, 1): KS = 2/3 at 0.3.
   */
  @Test
  void aucCountsTiesAsOneHalfAndKsPeaksWhereTheDistributionsPartMost() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"),
        new Object[] {0.1, 0}, new Object[] {0.2, 1}, new Object[] {0.2, 0}, new Object[] {0.3, 0},
        new Object[] {0.4, 1}, new Object[] {0.5, 1}, new Object[] {null, 1}, new Object[] {0.3, null});
    Discrimination.Result r = Discrimination.compute(df, "pd", "label");
    assertEquals(6, r.n());
    assertEquals(3, r.nBad());
    assertEquals(7.5 / 9, r.auc(), 1e-15);
    assertEquals(2 * 7.5 / 9 - 1, r.gini(), 1e-15);
    assertEquals(2.0 / 3, r.ks(), 1e-15);
    assertEquals(0.3, r.ksScore(), 0.0);
  }

  @Test
  void oneClassOnlyGivesNoAucAndNoKs() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"), new Object[] {0.1, 0}, new Object[] {0.2, 0});
    Discrimination.Result r = Discrimination.compute(df, "pd", "label");
    assertTrue(Double.isNaN(r.auc()));
    assertTrue(Double.isNaN(r.ks()));
    assertNull(r.ksScore());
  }

  /** Against a brute-force count over all (bad, good) pairs, on data with heavy ties, spread over many partitions. */
  @Test
  void equalsBruteForcePairCountingOnRandomTiedDataWhateverThePartitioning() {
    for (int seed = 1; seed <= 6; seed++) {
      Random rnd = new Random(seed);
      int n = 150 + rnd.nextInt(250);
      int levels = 2 + rnd.nextInt(40);
      List<Object[]> rows = new ArrayList<>();
      double[] pd = new double[n];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        pd[i] = rnd.nextInt(levels) / (double) levels;
        y[i] = rnd.nextDouble() < 0.2 + 0.6 * pd[i] ? 1 : 0;
        rows.add(new Object[] {pd[i], y[i]});
      }
      double pairs = 0;
      long bads = 0;
      long goods = 0;
      for (int i = 0; i < n; i++) {
        if (y[i] == 1) {
          bads++;
          for (int j = 0; j < n; j++) {
            if (y[j] == 0) {
              pairs += pd[i] > pd[j] ? 1 : pd[i] == pd[j] ? 0.5 : 0;
            }
          }
        } else {
          goods++;
        }
      }
      double ks = 0;
      for (int i = 0; i < n; i++) {
        double fb = 0;
        double fg = 0;
        for (int j = 0; j < n; j++) {
          if (pd[j] <= pd[i]) {
            fb += y[j] == 1 ? 1.0 / bads : 0;
            fg += y[j] == 0 ? 1.0 / goods : 0;
          }
        }
        ks = Math.max(ks, Math.abs(fb - fg));
      }
      Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"), rows.toArray(new Object[0][]))
          .repartition(1 + seed * 2);
      Discrimination.Result r = Discrimination.compute(df, "pd", "label");
      assertEquals(pairs / (bads * goods), r.auc(), 1e-12, "AUC, seed " + seed);
      assertEquals(bruteForceDeLongSe(pd, y), r.aucSe(), 1e-12, "DeLong SE, seed " + seed);
      assertEquals(ks, r.ks(), 1e-12, "KS, seed " + seed);
      assertEquals(bads, r.nBad(), "bads, seed " + seed);
    }
  }

  /** DeLong's SE from each row's placement value, pair by pair, with sample variances (divisor count - 1). */
  private static double bruteForceDeLongSe(double[] pd, int[] y) {
    List<Double> v10 = new ArrayList<>();
    List<Double> v01 = new ArrayList<>();
    for (int i = 0; i < pd.length; i++) {
      double above = 0;
      int others = 0;
      for (int j = 0; j < pd.length; j++) {
        if (y[j] != y[i]) {
          others++;
          // A bad's placement among goods counts goods below it; a good's among bads counts bads above it.
          double riskier = y[i] == 1 ? pd[i] - pd[j] : pd[j] - pd[i];
          above += riskier > 0 ? 1 : riskier == 0 ? 0.5 : 0;
        }
      }
      (y[i] == 1 ? v10 : v01).add(above / others);
    }
    return Math.sqrt(sampleVariance(v10) / v10.size() + sampleVariance(v01) / v01.size());
  }

  private static double sampleVariance(List<Double> v) {
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    return v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (v.size() - 1);
  }
}
