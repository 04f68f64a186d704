package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.binning.WoeBin.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import com.creditrisk.io.SparkJobCounter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Properties on generated data, the exact quantile rule, and the number of Spark jobs of a fit. */
class WoeBinningPropertyTest {
  private static final String[] FEATURES = {"score", "util", "age", "months", "grade"};

  static WoeBinning binning() {
    return new WoeBinning().setInputCols(FEATURES).setSpecialValues(-9.0, -8.0).setMaxBins(12)
        .setMinBinShare(0.04);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void binsCoverEveryRowIvIsNonNegativeRatesAreMonotoneAndBinsAreLargeEnough(long seed) {
    Dataset<Row> df = BinningFixtures.generated(seed, 3000);
    WoeBinningModel m = binning().fit(df);
    long labelled = df.filter("label is not null").count();
    for (String f : FEATURES) {
      List<WoeBin> bins = m.bins(f);
      assertEquals(labelled, bins.stream().mapToLong(WoeBin::count).sum(), f);
      assertTrue(m.informationValue().get(f) >= 0.0, f);
      bins.forEach(b -> assertTrue(b.iv() >= 0.0, b.toString()));
      List<WoeBin> ranges = bins.stream().filter(b -> b.kind() == Kind.RANGE).toList();
      for (WoeBin b : ranges) {
        assertTrue(ranges.size() == 1 || b.count() >= 0.04 * labelled, b + " below minBinShare");
      }
      for (int i = 1; i < ranges.size(); i++) {
        assertEquals(ranges.get(i - 1).upper(), ranges.get(i).lower(), "edges of " + f);
      }
      if (ranges.size() > 1) {
        int sign = Double.compare(ranges.get(1).badRate(), ranges.get(0).badRate());
        for (int i = 1; i < ranges.size(); i++) {
          assertEquals(sign, Double.compare(ranges.get(i).badRate(), ranges.get(i - 1).badRate()),
              "strictly monotone bad rates of " + f + ": " + ranges);
        }
      }
    }
    // Every training row gets a WoE under handleInvalid=error (so some bin covers it), and it is its bin's.
    Dataset<Row> out = m.transform(df);
    assertEquals(df.count(), out.filter("score_woe is not null and grade_woe is not null").count());
    List<WoeBin> score = m.bins("score");
    assertTrue(score.stream().anyMatch(b -> b.kind() == Kind.MISSING));
    assertEquals(2, score.stream().filter(b -> b.kind() == Kind.SPECIAL).count());
    assertEquals(score.get(0).count(), out.filter("score is null and label is not null").count());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4, 5})
  void resultsDoNotChangeWhenRowsAreShuffledAndRepartitioned(long seed) {
    Dataset<Row> df = BinningFixtures.generated(seed, 2000);
    List<WoeBin> a = binning().fit(df).allBins();
    List<WoeBin> b = binning().fit(df.orderBy(org.apache.spark.sql.functions.rand(seed)).repartition(7)).allBins();
    assertEquals(a, b);
  }

  /** x_(ceil(k n / G)) for k = 1..G-1 on the sorted sample, duplicates merged (DESIGN). */
  static List<Double> bruteForceCuts(List<Double> values, int g) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    long n = sorted.size();
    LinkedHashSet<Double> cuts = new LinkedHashSet<>();
    for (long k = 1; k < g; k++) {
      long pos = (k * n + g - 1) / g; // ceil(k n / G), 1-based
      cuts.add(sorted.get((int) pos - 1));
    }
    return new ArrayList<>(cuts);
  }

  @ParameterizedTest(name = "maxBins {0}")
  @ValueSource(ints = {2, 3, 7, 10, 20, 64})
  void fineCutPointsFollowTheOrderStatisticRuleExactlyWithHeavyTies(int g) {
    Random r = new Random(g);
    List<Object[]> rows = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 997; i++) {
      // Heavy ties: a third of the rows on one value, the rest on a few dozen values.
      double v = r.nextDouble() < 0.33 ? 5.0 : Math.floor(r.nextGaussian() * 6);
      values.add(v);
      rows.add(new Object[] {v, i % 2});
    }
    Dataset<Row> df = Rows.df(Rows.schema("x double", "label int"), rows.toArray(new Object[0][]));
    List<FineBins.Row4> fine = FineBins.collect(FineBins.table(df, List.of("x"), java.util.Set.of(), "label", g,
        new double[0]));
    fine = new ArrayList<>(fine);
    fine.sort((a, b) -> Long.compare(a.fine(), b.fine()));
    List<Double> cuts = bruteForceCuts(values, g);
    // Each fine bin ends on a cut (its max is the cut value); the bin above the last cut ends on the max.
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    List<Double> expectedMaxes = new ArrayList<>(cuts);
    if (expectedMaxes.get(expectedMaxes.size() - 1) < max) {
      expectedMaxes.add(max);
    }
    assertEquals(expectedMaxes, fine.stream().map(FineBins.Row4::max).toList());
    for (int i = 0; i < fine.size(); i++) {
      double lo = i == 0 ? Double.NEGATIVE_INFINITY : expectedMaxes.get(i - 1);
      double hi = expectedMaxes.get(i);
      assertEquals(values.stream().filter(v -> v > lo && v <= hi).count(), fine.get(i).count(), "bin " + i);
      assertEquals((long) i, fine.get(i).fine());
    }
  }

  @Test
  void theNumberOfSparkJobsOfAFitDoesNotGrowWithTheNumberOfFeatures() {
    SparkSession spark = TestSpark.get();
    Dataset<Row> base = BinningFixtures.generated(9, 1500);
    String[] eight = {"score", "util", "age", "months", "grade", "s2", "u2", "a2"};
    Dataset<Row> df = base.selectExpr("*", "score * 2 as s2", "util + 1 as u2", "age - 3 as a2").cache();
    df.count();
    int two = jobsOf(spark, () -> new WoeBinning().setInputCols("score", "util").fit(df));
    int all = jobsOf(spark, () -> new WoeBinning().setInputCols(eight).fit(df));
    assertEquals(two, all, "jobs for 2 vs " + Arrays.toString(eight));
    assertTrue(two >= 1 && two <= 3, "jobs: " + two);
    df.unpersist();
  }

  static int jobsOf(SparkSession spark, Runnable r) {
    SparkJobCounter c = SparkJobCounter.start(spark);
    try (c) {
      r.run();
    }
    return c.jobs();
  }
}
