package com.creditrisk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.io.SparkJobCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ExpectedPerformanceTest {
  /**
   * Rows with PD 0.2, 0.5, 0.5, 0.8. Over ordered pairs of distinct rows (bad i, good j), weight
   * p_i (1 - p_j): the 0.2 row wins nothing (weight .2 x 1.2 = .24); each 0.5 row beats the 0.2 row
   * (.5 x .8 = .4) and ties the other 0.5 row (.5 x .5 / 2 = .125), weight .5 x 1.5 = .75; the 0.8
   * row beats all three (.8 x 1.8 = 1.44, weight the same). Expected AUC = (2 x .525 + 1.44) /
   * (.24 + 2 x .75 + 1.44) = 2.49 / 3.18 = 83 / 106; expected bad rate = 2 / 4; its SE =
   * sqrt(.16 + .25 + .25 + .16) / 4.
   */
  @Test
  void handWorkedFourRowsWithATie() {
    ExpectedPerformance.Estimate e = ExpectedPerformance.fromCounts(new double[] {0.2, 0.5, 0.8}, new long[] {1, 2, 1});
    assertEquals(4, e.n());
    assertEquals(83.0 / 106, e.auc(), 1e-15);
    assertEquals(0.5, e.badRate(), 1e-15);
    assertEquals(Math.sqrt(0.82) / 4, e.badRateSe(), 1e-15);
  }

  /** One row never pairs with itself: a single row has no pair, and one PD value is all ties (AUC 1/2, no spread). */
  @Test
  void aRowIsNeverPairedWithItself() {
    ExpectedPerformance.Estimate one = ExpectedPerformance.fromCounts(new double[] {0.3}, new long[] {1});
    assertTrue(Double.isNaN(one.auc()), "one row: " + one);
    assertEquals(0.3, one.badRate(), 1e-15);
    ExpectedPerformance.Estimate same = ExpectedPerformance.fromCounts(new double[] {0.3}, new long[] {50});
    assertEquals(0.5, same.auc(), 1e-15);
    assertEquals(0.0, same.aucSe(), 1e-15);
    ExpectedPerformance.Estimate certain = ExpectedPerformance.fromCounts(new double[] {0.0, 1.0}, new long[] {3, 2});
    // Rows at 0 are always good and rows at 1 always bad: every possible pair is ordered right, for sure.
    assertEquals(1.0, certain.auc(), 1e-15);
    assertEquals(0.0, certain.aucSe(), 1e-15);
  }

  /** Against the definition: a double loop over all ordered pairs of distinct rows, with ties and repeated PDs. */
  @Test
  void equalsBruteForceOverAllPairsOnRandomTiedData() {
    for (int seed = 1; seed <= 8; seed++) {
      Random rnd = new Random(seed);
      int n = 2 + rnd.nextInt(150);
      int levels = 1 + rnd.nextInt(30);
      double[] pd = new double[n];
      for (int i = 0; i < n; i++) {
        pd[i] = (1 + rnd.nextInt(levels)) / (levels + 1.0);
      }
      double wins = 0;
      double pairs = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (i != j) {
            double w = pd[i] * (1 - pd[j]);
            pairs += w;
            wins += w * (pd[i] > pd[j] ? 1 : pd[i] == pd[j] ? 0.5 : 0);
          }
        }
      }
      ExpectedPerformance.Estimate e = fromRows(pd);
      assertEquals(wins / pairs, e.auc(), 1e-12, "seed " + seed + ", " + n + " rows, " + levels + " levels");
      assertEquals(Arrays.stream(pd).average().orElseThrow(), e.badRate(), 1e-12, "seed " + seed);
    }
  }

  /**
   * The variance of Z = sum_{i != j} y_i (1 - y_j) (win(i, j) - AUC) behind the SE is exact: against
   * an enumeration of every label outcome of 11 rows (2^11 of them, each with its probability).
   */
  @Test
  void aucStandardErrorIsTheExactSpreadOfTheLinearisedAuc() {
    for (int seed = 1; seed <= 4; seed++) {
      Random rnd = new Random(100 + seed);
      int n = 11;
      double[] pd = new double[n];
      for (int i = 0; i < n; i++) {
        pd[i] = (1 + rnd.nextInt(5)) / 6.0;
      }
      ExpectedPerformance.Estimate e = fromRows(pd);
      double pairs = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          pairs += i == j ? 0 : pd[i] * (1 - pd[j]);
        }
      }
      double mean = 0;
      double square = 0;
      for (int labels = 0; labels < 1 << n; labels++) {
        double prob = 1;
        for (int i = 0; i < n; i++) {
          prob *= (labels >> i & 1) == 1 ? pd[i] : 1 - pd[i];
        }
        double z = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            if (i != j && (labels >> i & 1) == 1 && (labels >> j & 1) == 0) {
              z += (pd[i] > pd[j] ? 1 : pd[i] == pd[j] ? 0.5 : 0) - e.auc();
            }
          }
        }
        mean += prob * z;
        square += prob * z * z;
      }
      assertEquals(0, mean, 1e-12, "E[Z] = 0 by the AUC's definition, seed " + seed);
      assertEquals(Math.sqrt(square) / pairs, e.aucSe(), 1e-12, "seed " + seed);
    }
  }

  /**
   * Draw the labels from the PDs 4,000 times (seeded): the realised AUCs average to the estimate
   * within three standard errors of their mean, and spread by the SE the estimate states (within 5%).
   */
  @Test
  void realisedAucsOfLabelsDrawnFromThePdsCentreOnTheEstimate() {
    Random rnd = new Random(7);
    int n = 400;
    double[] pd = new double[n];
    for (int i = 0; i < n; i++) {
      // A skewed book with repeated PDs: 0.01 .. 0.50 in steps of 0.01.
      pd[i] = Math.ceil(50 * Math.pow(rnd.nextDouble(), 2)) / 100;
    }
    ExpectedPerformance.Estimate e = fromRows(pd);
    TreeMap<Double, Integer> index = new TreeMap<>();
    for (double p : pd) {
      index.putIfAbsent(p, 0);
    }
    double[] values = index.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    for (int v = 0; v < values.length; v++) {
      index.put(values[v], v);
    }
    int draws = 4000;
    double sum = 0;
    double sumSq = 0;
    for (int d = 0; d < draws; d++) {
      long[] bads = new long[values.length];
      long[] goods = new long[values.length];
      for (double p : pd) {
        if (rnd.nextDouble() < p) {
          bads[index.get(p)]++;
        } else {
          goods[index.get(p)]++;
        }
      }
      double auc = Discrimination.fromGroups(values, bads, goods, 0).auc();
      sum += auc;
      sumSq += auc * auc;
    }
    double mean = sum / draws;
    double sd = Math.sqrt((sumSq - draws * mean * mean) / (draws - 1));
    assertTrue(Math.abs(mean - e.auc()) < 3 * e.aucSe() / Math.sqrt(draws),
        "mean realised " + mean + " vs expected " + e.auc() + " (SE of the mean " + e.aucSe() / Math.sqrt(draws) + ")");
    assertEquals(1, sd / e.aucSe(), 0.05, "spread " + sd + " vs SE " + e.aucSe());
  }

  /**
   * On Spark: PDs with labels on some rows only. The estimate over all rows, the estimate over the
   * labelled rows alone, and the labelled rows' realised AUC and bad rate as Discrimination measures them.
   */
  @Test
  void estimatesAllRowsAndTheLabelledRowsBesideTheirRealisedValues() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"),
        Rows.row(0.2, 0), Rows.row(0.5, 1), Rows.row(0.5, null), Rows.row(0.8, 1), Rows.row(0.8, 0),
        Rows.row(0.1, null), Rows.row(null, 1));
    ExpectedPerformance.Result r = ExpectedPerformance.estimate(df, input(10));
    assertEquals(4, r.distinctPds());
    assertEquals(ExpectedPerformance.fromCounts(new double[] {0.1, 0.2, 0.5, 0.8}, new long[] {1, 1, 2, 2}), r.all());
    assertEquals(ExpectedPerformance.fromCounts(new double[] {0.2, 0.5, 0.8}, new long[] {1, 1, 2}), r.labelled());
    // Bads 0.5 and 0.8 against goods 0.2 and 0.8: 1 + 0 + 1 + 0.5 = 2.5 of 4 pairs.
    assertEquals(2.5 / 4, r.realised().auc(), 1e-15);
    assertEquals(4, r.realised().n());
    assertEquals(0.5, r.realisedBadRate(), 1e-15);
    assertEquals(Discrimination.compute(df.where("label is not null"), "pd", "label").auc(), r.realised().auc(), 1e-15);
  }

  /** Within the bound, the estimates and the realised values come from one Spark job over the rows. */
  @Test
  void oneSparkJobWithinTheBound() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"), Rows.row(0.2, 0), Rows.row(0.5, 1),
        Rows.row(0.5, null), Rows.row(0.8, 1));
    try (SparkJobCounter c = SparkJobCounter.start(TestSpark.get())) {
      ExpectedPerformance.estimate(df, input(10));
      c.close();
      assertEquals(1, c.jobs());
    }
  }

  @Test
  void withoutALabelColumnOnlyTheEstimateIsGiven() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double"), Rows.row(0.2), Rows.row(0.5), Rows.row(0.5), Rows.row(0.8));
    ExpectedPerformance.Result r = ExpectedPerformance.estimate(df,
        new ExpectedPerformance.Input("scored_applications", "pd", null, 10));
    assertEquals(83.0 / 106, r.all().auc(), 1e-15);
    assertEquals(0, r.labelled().n());
    assertEquals(0, r.realised().n());
    assertTrue(Double.isNaN(r.realisedBadRate()));
  }

  /**
   * More distinct PDs than the bound: the same sweep runs distributed, over groups sorted across
   * partitions, and gives what the driver gives, to the last digit (each group's terms are rounded
   * alike and the sums are exact, so the order of adding does not matter).
   */
  @Test
  void beyondTheBoundTheDistributedSweepGivesTheDriversAnswer() {
    Random rnd = new Random(3);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double pd = (1 + rnd.nextInt(60)) / 61.0;
      Integer label = rnd.nextDouble() < 0.6 ? (rnd.nextDouble() < pd ? 1 : 0) : null;
      rows.add(Rows.row(pd, label));
    }
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"), rows.toArray(new Object[0][])).repartition(4);
    ExpectedPerformance.Result driver = ExpectedPerformance.estimate(df, input(1000));
    ExpectedPerformance.Result spread = ExpectedPerformance.estimate(df, input(5));
    assertTrue(spread.distributed() && !driver.distributed());
    assertEquals(driver.distinctPds(), spread.distinctPds());
    assertTrue(driver.distinctPds() > 50, "distinct PDs: " + driver.distinctPds());
    assertEquals(driver.all(), spread.all());
    assertEquals(driver.labelled(), spread.labelled());
    assertEquals(driver.realised(), spread.realised());
  }

  @Test
  void aPdOutsideZeroToOneIsABadInputOnEitherPath() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"), Rows.row(0.1, 0), Rows.row(0.2, 0),
        Rows.row(1.5, 1));
    for (int maxGroups : new int[] {10, 1}) {
      CreditRiskException e = assertThrows(CreditRiskException.class,
          () -> ExpectedPerformance.estimate(df, input(maxGroups)));
      assertEquals(3, e.exitCode());
      assertEquals("Cannot estimate performance from PDs: table scored_applications has pd = 1.5 outside [0, 1]; "
          + "a calibrated PD is a probability", e.getMessage());
    }
  }

  private static ExpectedPerformance.Input input(int maxGroups) {
    return new ExpectedPerformance.Input("scored_applications", "pd", "label", maxGroups);
  }

  /** The estimate of row-level PDs, counted per distinct value as the Spark path does. */
  private static ExpectedPerformance.Estimate fromRows(double[] pd) {
    TreeMap<Double, Long> counts = new TreeMap<>();
    for (double p : pd) {
      counts.merge(p, 1L, Long::sum);
    }
    List<Double> values = new ArrayList<>(counts.keySet());
    return ExpectedPerformance.fromCounts(values.stream().mapToDouble(Double::doubleValue).toArray(),
        counts.values().stream().mapToLong(Long::longValue).toArray());
  }
}
