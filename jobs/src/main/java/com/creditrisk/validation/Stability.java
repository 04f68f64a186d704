package com.creditrisk.validation;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Population stability, as DESIGN.md defines it: 10 bins cut on the baseline by the exact quantile
 * rule, a share of 0 replaced by 1e-4 (no renormalising), PSI = sum (a - e) ln(a / e). The same
 * formula on a feature is its CSI. PSI per month is one aggregation over (month, bin), whatever
 * the number of months.
 */
public final class Stability {
  public static final int BINS = 10;
  /** The share that stands in for an empty bin. */
  public static final double EMPTY_SHARE = 1e-4;

  private Stability() {}

  /** One bin: its range on the baseline, both row counts, both shares and its PSI term. */
  public record PsiBin(String range, long baseline, long current, double expectedShare, double actualShare,
      double contribution) {}

  /** A PSI (or CSI) and its band: stable (< 0.10), watch (0.10..0.25) or shifted (> 0.25). */
  public record Psi(double value, String band, long baselineRows, long currentRows, List<PsiBin> bins) {}

  /** The PSI of the whole current sample and, with a group column, of each group value (ascending). */
  public record Grouped(Psi total, Map<String, Psi> byGroup) {}

  /**
   * PSI of {@code value} between two samples, in one aggregation of each; null and NaN values of
   * either are left out.
   *
   * @param group a column to compute one PSI per value of as well (e.g. the month), or null; rows
   *     with a null group count in the total only
   */
  public static Grouped psi(Dataset<Row> baseline, Column baseValue, Dataset<Row> current, Column curValue,
      Column group) {
    double[] cuts = QuantileCuts.cuts(baseline, baseValue, BINS);
    long[] expected = new long[cuts.length + 1];
    for (Row r : present(baseline, baseValue).groupBy(QuantileCuts.bin(baseValue, cuts).as("bin"))
        .agg(count(lit(1))).collectAsList()) {
      expected[r.getInt(0)] = r.getLong(1);
    }
    Column g = group == null ? lit(null).cast("string") : group.cast("string");
    long[] all = new long[cuts.length + 1];
    Map<String, long[]> actual = new TreeMap<>();
    for (Row r : present(current, curValue).groupBy(g.as("g"), QuantileCuts.bin(curValue, cuts).as("bin"))
        .agg(count(lit(1))).collectAsList()) {
      all[r.getInt(1)] += r.getLong(2);
      if (!r.isNullAt(0)) {
        actual.computeIfAbsent(r.getString(0), k -> new long[cuts.length + 1])[r.getInt(1)] = r.getLong(2);
      }
    }
    Map<String, Psi> byGroup = new TreeMap<>();
    for (Map.Entry<String, long[]> e : actual.entrySet()) {
      byGroup.put(e.getKey(), psi(cuts, expected, e.getValue()));
    }
    return new Grouped(psi(cuts, expected, all), byGroup);
  }

  /**
   * The same from distinct values already counted on the driver (the validation pack's one-pass
   * summary); NaN values are left out, as null ones already are.
   *
   * @param baseline rows per distinct baseline value
   * @param current rows per distinct current value, all groups together
   * @param byGroup rows per distinct current value, for each group value
   */
  static Grouped psi(java.util.SortedMap<Double, Long> baseline, java.util.SortedMap<Double, Long> current,
      Map<String, ? extends java.util.SortedMap<Double, Long>> byGroup) {
    DistinctValueCounts.Counted base = DistinctValueCounts.Counted.of(baseline);
    DistinctValueCounts.Counted cur = DistinctValueCounts.Counted.of(current);
    return psi(base.values(), base.counts(), cur.values(), cur.counts(), byGroup);
  }

  /**
   * The same from arrays of distinct values, ascending, with their rows (no NaN): no boxed value per
   * distinct score, which at millions of them costs seconds.
   */
  static Grouped psi(double[] baseValues, long[] baseCounts, double[] curValues, long[] curCounts,
      Map<String, ? extends java.util.SortedMap<Double, Long>> byGroup) {
    double[] cuts = QuantileCuts.cuts(baseValues, baseCounts, BINS);
    long[] expected = bins(baseValues, baseCounts, cuts);
    Map<String, Psi> out = new TreeMap<>();
    byGroup.forEach((g, m) -> out.put(g, psi(cuts, expected, bins(m, cuts))));
    return new Grouped(psi(cuts, expected, bins(curValues, curCounts, cuts)), out);
  }

  private static long[] bins(double[] values, long[] counts, double[] cuts) {
    long[] out = new long[cuts.length + 1];
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        out[QuantileCuts.binOf(values[i], cuts)] += counts[i];
      }
    }
    return out;
  }

  private static long[] bins(java.util.SortedMap<Double, Long> counts, double[] cuts) {
    long[] out = new long[cuts.length + 1];
    counts.forEach((v, c) -> {
      if (!v.isNaN()) {
        out[QuantileCuts.binOf(v, cuts)] += c;
      }
    });
    return out;
  }

  /** PSI from the bin counts of both samples. */
  static Psi psi(double[] cuts, long[] expected, long[] actual) {
    long ne = 0;
    long na = 0;
    for (int i = 0; i < expected.length; i++) {
      ne += expected[i];
      na += actual[i];
    }
    double total = 0;
    List<PsiBin> bins = new ArrayList<>();
    for (int i = 0; i < expected.length; i++) {
      double e = share(expected[i], ne);
      double a = share(actual[i], na);
      double term = (a - e) * Math.log(a / e);
      total += term;
      bins.add(new PsiBin(QuantileCuts.label(cuts, i), expected[i], actual[i], e, a, term));
    }
    return new Psi(total, band(total), ne, na, List.copyOf(bins));
  }

  private static double share(long count, long total) {
    return count == 0 ? EMPTY_SHARE : (double) count / total;
  }

  /** DESIGN's bands: < 0.10 stable, 0.10..0.25 watch, > 0.25 shifted. */
  public static String band(double psi) {
    return psi < 0.10 ? "stable" : psi <= 0.25 ? "watch" : "shifted";
  }

  private static Dataset<Row> present(Dataset<Row> rows, Column value) {
    return rows.where(QuantileCuts.present(value));
  }
}
