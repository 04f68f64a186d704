package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Every statistic of the validation pack on a tiny case worked out by hand (the working is in each comment). */
class ValidationStatisticsTest {
  private final SparkSession spark = TestSpark.get();

  private Dataset<Row> values(double... v) {
    Object[][] rows = new Object[v.length][];
    for (int i = 0; i < v.length; i++) {
      rows[i] = new Object[] {v[i]};
    }
    return Rows.df(Rows.schema("x double"), rows).repartition(3);
  }

  /**
   * n = 10, G = 4: ranks ceil(10 k / 4) = 3, 5, 8 of 1 2 2 3 4 5 5 5 9 10 are 2, 4, 5; bins
   * (-inf, 2] {1, 2, 2}, (2, 4] {3, 4}, (4, 5] {5, 5, 5}, (5, +inf) {9, 10}.
   */
  @Test
  void cutPointsAreThePercentileDiscOrderStatisticsAndBinsAreRightClosed() {
    Dataset<Row> df = values(5, 1, 9, 2, 5, 3, 10, 2, 4, 5);
    double[] cuts = QuantileCuts.cuts(df, col("x"), 4);
    assertArrayEquals(new double[] {2, 4, 5}, cuts);
    List<Row> counts = df.groupBy(QuantileCuts.bin(col("x"), cuts).as("b")).count().sort("b").collectAsList();
    assertEquals(List.of(3L, 2L, 3L, 2L), counts.stream().map(r -> r.getLong(1)).toList());
    assertEquals("(2, 4]", QuantileCuts.label(cuts, 1));
    assertEquals("(5, +inf)", QuantileCuts.label(cuts, 3));
  }

  /** Ranks 3, 5, 8 of 1 1 1 1 1 1 1 2 3 4 are 1, 1, 2: the two equal cuts merge into one. */
  @Test
  void equalCutPointsAreMerged() {
    assertArrayEquals(new double[] {1, 2}, QuantileCuts.cuts(values(1, 1, 1, 1, 1, 1, 1, 2, 3, 4), col("x"), 4));
  }

  /**
   * The fixture of DiscriminationTest (risk 0.1 g, 0.2 b, 0.2 g, 0.3 g, 0.4 b, 0.5 b; m = n = 3).
   * Placements of the bads V10 = 1.5/3, 3/3, 3/3 = 0.5, 1, 1 (mean 5/6 = AUC), sample variance
   * S10 = (1/9 + 1/36 + 1/36) / 2 = 1/12. Of the goods V01 = 3/3, 2.5/3, 2/3 (mean 5/6), S01 =
   * (1/36 + 0 + 1/36) / 2 = 1/36. Var = S10/3 + S01/3 = 1/36 + 1/108 = 1/27; CI 5/6 -/+ 1.96 sqrt(1/27)
   * = 0.4561..1.2105, clipped to 1 above.
   */
  @Test
  void deLongStandardErrorFollowsFromPlacementValuesWithTiesAsOneHalf() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "label int"),
        new Object[] {0.1, 0}, new Object[] {0.2, 1}, new Object[] {0.2, 0}, new Object[] {0.3, 0},
        new Object[] {0.4, 1}, new Object[] {0.5, 1}).repartition(2);
    Discrimination.Result r = Discrimination.compute(df, "pd", "label");
    assertEquals(5.0 / 6, r.auc(), 1e-15);
    assertEquals(Math.sqrt(1.0 / 27), r.aucSe(), 1e-15);
    assertEquals(5.0 / 6 - Discrimination.Z975 * Math.sqrt(1.0 / 27), r.aucCi95().lo(), 1e-15);
    assertEquals(1.0, r.aucCi95().hi(), 0.0);
  }

  /**
   * Rows (label, a, b): (1, 0.9, 0.6), (1, 0.4, 0.1), (0, 0.5, 0.2), (0, 0.1, 0.7). Model a: V10 =
   * 1, 0.5 and V01 = 0.5, 1 (AUC 0.75); model b: V10 = 0.5, 0 and V01 = 0.5, 0 (AUC 0.25). Over the
   * bads var(a) = var(b) = cov = 0.125; over the goods var(a) = var(b) = 0.125, cov = -0.125. Var of
   * the difference = (0.125 + 0.125 - 0.25) / 2 + (0.125 + 0.125 + 0.25) / 2 = 0.25: SE 0.5, z =
   * 0.5 / 0.5 = 1, p = 2 (1 - Phi(1)) = 0.3173105078629141.
   */
  @Test
  void pairedDeLongTestUsesTheCovarianceOfBothModelsPlacements() {
    Dataset<Row> df = Rows.df(Rows.schema("label int", "a double", "b double"),
        new Object[] {1, 0.9, 0.6}, new Object[] {1, 0.4, 0.1}, new Object[] {0, 0.5, 0.2},
        new Object[] {0, 0.1, 0.7}, new Object[] {null, 0.3, 0.3});
    Discrimination.Paired p = Discrimination.paired(df, "a", "b", "label");
    assertEquals(4, p.n());
    assertEquals(0.75, p.aucA(), 1e-15);
    assertEquals(0.25, p.aucB(), 1e-15);
    assertEquals(0.5, p.se(), 1e-15);
    assertEquals(1.0, p.z(), 1e-15);
    assertEquals(0.31731050786291415, p.pValue(), 1e-14);
  }

  /** pd 0.2 good, 0.8 bad: Brier = (0.04 + 0.04) / 2 = 0.04. */
  @Test
  void brierIsTheMeanSquaredErrorOfThePd() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "y int"), new Object[] {0.2, 0}, new Object[] {0.8, 1});
    PdAccuracy.Totals t = PdAccuracy.totals(df, col("pd"), col("y"));
    assertEquals(0.04, t.brier(), 1e-15);
    assertEquals(0.5, t.meanPd(), 1e-15);
  }

  /**
   * Bins (n, O, E): (10, 2, 1) adds 1 / (1 * 0.9) = 10/9; (10, 3, 4) adds 1 / (4 * 0.6) = 5/12; (5, 0,
   * 0), every PD 0, adds nothing. chi2 = 55/36, df = 3 - 2 = 1, p = 2 (1 - Phi(sqrt(55/36)));
   * out of sample df = 3.
   */
  @Test
  void hosmerLemeshowSkipsBinsWithoutVarianceAndCountsDfFromNonEmptyBins() {
    PdAccuracy.HosmerLemeshow hl = PdAccuracy.hosmerLemeshow(List.of(new PdAccuracy.HlBin("a", 10, 2, 1.0),
        new PdAccuracy.HlBin("b", 10, 3, 4.0), new PdAccuracy.HlBin("c", 5, 0, 0.0)));
    assertEquals(55.0 / 36, hl.chi2(), 1e-15);
    assertEquals(1, hl.df());
    assertEquals(0.21644626728744926, hl.pValue(), 1e-13);
    assertEquals(PdAccuracy.chiSquareUpperTail(55.0 / 36, 3), hl.pValueOos(), 0.0);
    assertNull(PdAccuracy.hosmerLemeshow(List.of(new PdAccuracy.HlBin("a", 10, 2, 1.0))).pValue(),
        "df <= 0 has no p-value");
  }

  /**
   * Ten PDs 0.1..1.0 make ten one-row bins (ranks 1..9); the rows 0.5 and 1.0 are bad. Only bins
   * with 0 < E/n < 1 add: (y - p)^2 / (p (1 - p)) for p = 0.1..0.9, which the loop below sums.
   */
  @Test
  void hosmerLemeshowOnRowsBinsByTheQuantileCuts() {
    Object[][] rows = new Object[10][];
    double expected = 0;
    for (int i = 1; i <= 10; i++) {
      double p = i / 10.0;
      int y = i == 5 || i == 10 ? 1 : 0;
      rows[i - 1] = new Object[] {p, y};
      if (i < 10) {
        expected += (y - p) * (y - p) / (p * (1 - p));
      }
    }
    PdAccuracy.HosmerLemeshow hl = PdAccuracy.hosmerLemeshow(Rows.df(Rows.schema("pd double", "y int"), rows),
        col("pd"), col("y"));
    assertEquals(10, hl.bins().size());
    assertEquals(expected, hl.chi2(), 1e-12);
    assertEquals(8, hl.df());
  }

  /**
   * N = 1, D = 0, mean PD 0.5: Beta(1/2, 3/2) has CDF (2 / pi)(asin sqrt(x) + sqrt(x (1 - x))), so
   * p = (2 / pi)(pi / 4 + 1/2) = 1/2 + 1/pi.
   */
  @Test
  void jeffreysPValueIsTheBetaCdfAtTheMeanPd() {
    PdAccuracy.Jeffreys j = PdAccuracy.jeffreys("1", 1, 0, 0.5);
    assertEquals(0.5 + 1 / Math.PI, j.pValue(), 1e-13);
    assertEquals(0.0, j.observedRate(), 0.0);
  }

  /** Grade counts 1, 1, 2: (1/4)^2 + (1/4)^2 + (1/2)^2 = 3/8. */
  @Test
  void herfindahlIsTheSumOfSquaredShares() {
    assertEquals(3.0 / 8, PdAccuracy.herfindahl(List.of(1L, 1L, 2L)), 1e-15);
  }

  /**
   * Baseline 1..10: cuts 1..9, ten bins of share 0.1. Current 1, 1, 2, 10, 10: shares 0.4, 0.2, 0 (x7),
   * 0.4; an empty bin counts 1e-4 (no renormalising). PSI = 0.3 ln 4 + 0.1 ln 2 + 0.3 ln 4 + 7 (1e-4 -
   * 0.1) ln(1e-4 / 0.1); months a (that sample) and b (the baseline itself, PSI 0) in one pass.
   */
  @Test
  void psiCountsEmptyBinsAsOneInTenThousandAndGroupsByMonthInOnePass() {
    Dataset<Row> base = values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    Object[][] cur = {{1.0, "a"}, {1.0, "a"}, {2.0, "a"}, {10.0, "a"}, {10.0, "a"}, {1.0, "b"}, {2.0, "b"},
        {3.0, "b"}, {4.0, "b"}, {5.0, "b"}, {6.0, "b"}, {7.0, "b"}, {8.0, "b"}, {9.0, "b"}, {10.0, "b"}};
    Stability.Grouped grouped = Stability.psi(base, col("x"), Rows.df(Rows.schema("x double", "m string"), cur),
        col("x"), col("m"));
    Map<String, Stability.Psi> psi = grouped.byGroup();
    assertEquals(15, grouped.total().currentRows());
    double expected = 0.3 * Math.log(4) + 0.1 * Math.log(2) + 0.3 * Math.log(4) + 7 * (1e-4 - 0.1) * Math.log(1e-3);
    assertEquals(expected, psi.get("a").value(), 1e-12);
    assertEquals("shifted", psi.get("a").band());
    assertEquals(0.0, psi.get("b").value(), 0.0);
    assertEquals("stable", psi.get("b").band());
    assertEquals("watch", Stability.band(0.25));
  }

  /**
   * Three bands with bad rates 0.5, 0.6, 0.1 from the lowest score up. Higher safe: riskiest first
   * 0.5, 0.6 (a break at rank 2), 0.1. Higher risk: 0.1, 0.6 (break at rank 2), 0.5.
   */
  @Test
  void rankOrderingListsBandsFromTheRiskiestAndFlagsRisingBadRates() {
    double[] cuts = {1, 2};
    long[] n = {10, 10, 10};
    long[] bads = {5, 6, 1};
    RankOrdering.Result safe = RankOrdering.fromCounts(cuts, n, bads, true);
    assertEquals(List.of(0.5, 0.6, 0.1), safe.bands().stream().map(RankOrdering.Band::badRate).toList());
    assertEquals(List.of(2), safe.breaks().stream().map(RankOrdering.Break::rank).toList());
    RankOrdering.Result risk = RankOrdering.fromCounts(cuts, n, bads, false);
    assertEquals(List.of(0.1, 0.6, 0.5), risk.bands().stream().map(RankOrdering.Band::badRate).toList());
    assertEquals("(1, 2]", risk.breaks().get(0).range());
  }

  /**
   * Scores 900 g, 800 g, 800 b, 700 g, 600 b, 600 b; approving from the top: >= 900 (1 row, 0 bad),
   * >= 800 (3, 1), >= 700 (4, 1), >= 600 (6, 3). T = 0.3: 800 fails (1/3) but 700 passes (1/4), so
   * 700 (approval 4/6). Jeffreys 95% bounds (scipy beta.ppf): 0.771, 0.764, 0.651, 0.791: none <= 0.3;
   * at T = 0.7 only 700's is, while every plain rate passes (cutoff 600). Higher-is risk on 1000 - s
   * gives the same rows: cutoff 300; at T = 0.01 only the safest row (1000 - 900 = 100, no bad)
   * qualifies, and no Jeffreys bound does.
   */
  @Test
  void cutoffsAreTheMostPermissiveQualifyingScoresInBothOrientations() {
    Object[][] rows = {{900.0, 0}, {800.0, 0}, {800.0, 1}, {700.0, 0}, {600.0, 1}, {600.0, 1}};
    Dataset<Row> df = Rows.df(Rows.schema("s double", "y int"), rows).repartition(3);
    List<TargetCutoffs.Cutoff> c = TargetCutoffs.compute(df, col("s"), col("y"), true, List.of(0.3, 0.7));
    assertEquals(700.0, c.get(0).cutoff());
    assertEquals(4.0 / 6, c.get(0).approvalRate(), 1e-15);
    assertEquals(0.25, c.get(0).badRate(), 1e-15);
    assertNull(c.get(0).cutoffConservative());
    assertEquals(600.0, c.get(1).cutoff());
    assertEquals(700.0, c.get(1).cutoffConservative());
    List<TargetCutoffs.Cutoff> r = TargetCutoffs.compute(df.withColumn("s", col("s").multiply(-1).plus(1000)),
        col("s"), col("y"), false, List.of(0.3, 0.01));
    assertEquals(300.0, r.get(0).cutoff());
    assertEquals(new TargetCutoffs.Cutoff(0.01, 100.0, 1.0 / 6, 0.0, null), r.get(1));
  }
}
