package com.creditrisk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.errors.CreditRiskException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link ExpectedPerformance#byKey}, the keyed distributed sweep, against the driver's answer
 * ({@link ExpectedPerformance#fromGroups}) key by key, on generated groups.
 */
class ExpectedPerformanceByKeyTest {
  private static final StructType GROUPS = Rows.schema("as_of_date date", "model string", "pd double", "n long",
      "labelled long", "bads long");
  private static final List<String> DATES = List.of("2026-01-31", "2026-02-28", "2026-03-31");
  private static final List<String> MODELS = List.of("gbt", "scorecard", "score_logistic");

  /**
   * Per seed, groups of the nine keys (date x model), one row per key and distinct PD, as
   * {@link ExpectedPerformance#estimate} counts them: one key of 600 distinct PDs, so that on the
   * test session's 3 shuffle partitions it spans more than one; the others 0 to 40 PDs (one key
   * always empty, left out of the input), PDs 0 and 1 among them, several rows per PD (ties of
   * equal PDs), labelled rows on some, a key with no label, a key whose labelled rows are all bad.
   * Every key's result, every field and every digit, is the driver's over the same groups.
   */
  @Test
  void eachKeysResultIsTheDriversAnswerOverItsGroupsToTheLastDigit() {
    for (int seed = 1; seed <= 4; seed++) {
      Random rnd = new Random(seed);
      Map<List<Object>, TreeMap<Double, long[]>> byKey = new LinkedHashMap<>();
      List<Object[]> rows = new ArrayList<>();
      int k = 0;
      for (String date : DATES) {
        for (String model : MODELS) {
          int key = k++;
          if (key == 4) {
            continue;
          }
          int groups = key == seed % 3 ? 600 : rnd.nextInt(41);
          TreeSet<Double> pds = new TreeSet<>();
          if (key % 2 == 0) {
            pds.add(0.0);
            pds.add(1.0);
          }
          while (pds.size() < groups) {
            pds.add(rnd.nextInt(5000) / 4999.0);
          }
          TreeMap<Double, long[]> g = new TreeMap<>();
          for (double p : pds) {
            long n = 1 + rnd.nextInt(6);
            long labelled = key == 7 ? 0 : rnd.nextInt((int) n + 1);
            long bads = key == 8 ? labelled : rnd.nextInt((int) labelled + 1);
            g.put(p, new long[] {n, labelled, bads});
            rows.add(Rows.row(date, model, p, n, labelled, bads));
          }
          if (!g.isEmpty()) {
            byKey.put(List.of(java.sql.Date.valueOf(date), model), g);
          }
        }
      }
      java.util.Collections.shuffle(rows, rnd);
      Dataset<Row> df = Rows.df(GROUPS, rows.toArray(new Object[0][])).repartition(4);
      ExpectedPerformance.ByKey keyed = ExpectedPerformance.byKey(df, 2, input());

      assertTrue(keyed.partitions() > 1 && keyed.keysAcrossPartitions() > 0, "seed " + seed + ": " + keyed.partitions()
          + " partitions, " + keyed.keysAcrossPartitions() + " keys across them");
      assertEquals(byKey.keySet(), keyed.results().keySet(), "seed " + seed);
      for (Map.Entry<List<Object>, TreeMap<Double, long[]>> e : byKey.entrySet()) {
        ExpectedPerformance.Result expected = driver(e.getValue());
        ExpectedPerformance.Result actual = keyed.results().get(e.getKey());
        String what = "seed " + seed + " key " + e.getKey();
        assertEquals(expected.distinctPds(), actual.distinctPds(), what);
        assertEquals(expected.all(), actual.all(), what);
        assertEquals(expected.labelled(), actual.labelled(), what);
        assertEquals(expected.realised(), actual.realised(), what);
        assertTrue(actual.distributed(), what);
      }
    }
  }

  /** Without key columns it is the one estimate of every group: the distributed path of {@link ExpectedPerformance#estimate}. */
  @Test
  void withoutKeysItIsOneEstimateOverEveryGroup() {
    Dataset<Row> df = Rows.df(Rows.schema("pd double", "n long", "labelled long", "bads long"),
        Rows.row(0.2, 1L, 1L, 0L), Rows.row(0.5, 2L, 1L, 1L), Rows.row(0.8, 1L, 1L, 1L));
    ExpectedPerformance.Result r = ExpectedPerformance.byKey(df, 0, input()).results().get(List.of());
    assertEquals(ExpectedPerformance.fromCounts(new double[] {0.2, 0.5, 0.8}, new long[] {1, 2, 1}), r.all());
    assertEquals(83.0 / 106, r.all().auc(), 1e-15);
    // Bads .5 and .8 against the good .2: both pairs ordered right.
    assertEquals(1.0, r.realised().auc(), 0);
  }

  /** A PD outside [0, 1] in any key stops the sweep as the driver's path does: exit 3, table and column named. */
  @Test
  void aPdOutsideZeroToOneInAnyKeyIsABadInput() {
    Dataset<Row> df = Rows.df(GROUPS, Rows.row("2026-01-31", "gbt", 0.3, 1L, 0L, 0L),
        Rows.row("2026-02-28", "gbt", 0.1, 1L, 0L, 0L), Rows.row("2026-02-28", "gbt", 1.25, 1L, 0L, 0L));
    CreditRiskException e = assertThrows(CreditRiskException.class, () -> ExpectedPerformance.byKey(df, 2, input()));
    assertEquals(3, e.exitCode());
    assertEquals("Cannot estimate performance from PDs: table scored_applications has pd = 1.25 outside [0, 1]; "
        + "a calibrated PD is a probability", e.getMessage());
  }

  private static ExpectedPerformance.Result driver(TreeMap<Double, long[]> groups) {
    int k = groups.size();
    double[] p = new double[k];
    long[] n = new long[k];
    long[] labelled = new long[k];
    long[] bads = new long[k];
    int i = 0;
    for (Map.Entry<Double, long[]> e : groups.entrySet()) {
      p[i] = e.getKey();
      n[i] = e.getValue()[0];
      labelled[i] = e.getValue()[1];
      bads[i++] = e.getValue()[2];
    }
    return ExpectedPerformance.fromGroups(p, n, labelled, bads, input());
  }

  private static ExpectedPerformance.Input input() {
    return new ExpectedPerformance.Input("scored_applications", "pd", "label", 1);
  }
}
