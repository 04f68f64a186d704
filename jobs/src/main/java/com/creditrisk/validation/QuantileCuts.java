package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.metrics.SortedGroups;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exact quantile cut points as DESIGN.md defines them, and the bins they make. For G bins of n
 * values, cut k (k = 1..G-1) is the order statistic x_(ceil(k n / G)) of the sorted sample (SQL
 * percentile_disc); bins are right-closed, (-inf, c1], (c1, c2], ..., (c_last, +inf), and equal cuts
 * are merged. Computed from the distinct values and their counts sorted across the cluster, so no
 * task ever holds the whole column.
 */
public final class QuantileCuts {
  private QuantileCuts() {}

  /**
   * @param rows the sample; null and NaN values are left out
   * @param value a numeric column
   * @param bins G, at least 2
   * @return the distinct cut points, ascending (empty when the sample is empty)
   */
  public static double[] cuts(Dataset<Row> rows, Column value, int bins) {
    return binned(rows, value, bins).cuts();
  }

  /** The cut points and the rows each bin holds, from one sort of the sample (nothing binned again). */
  public static Binned binned(Dataset<Row> rows, Column value, int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("Invalid bins: " + bins + " (at least 2)");
    }
    Dataset<Row> groups = rows.select(value.cast("double").as("v"))
        .where(present(col("v")))
        .groupBy("v").agg(count(lit(1)).as("c")).sort("v");
    try (SortedGroups sorted = SortedGroups.of(groups, 1)) {
      long n = sorted.total(0);
      List<Hit> hits = sorted.collect((i, it, before) -> {
        List<Hit> out = new ArrayList<>();
        long cum = before[0];
        while (it.hasNext()) {
          Row r = it.next();
          long c = r.getLong(1);
          out.addAll(hits(r.getDouble(0), c, 0, cum, 0, n, bins));
          cum += c;
        }
        return out.iterator();
      });
      return binned(hits, n, 0);
    }
  }

  /**
   * A cut that falls in a distinct value of a sorted sample: cut k, the value, and the rows and
   * bads up to and including it.
   */
  public record Hit(int k, double value, long rowsUpTo, long badsUpTo) implements Serializable {}

  /** The cuts, and the rows and bads per bin (cuts.length + 1 bins), right-closed as {@link #binOf} bins. */
  public record Binned(double[] cuts, long[] rows, long[] bads) {}

  /**
   * The cuts a distinct value holds, for a walk over the sorted values with running totals.
   *
   * @param rows the value's rows
   * @param bads its bads (0 where there is no label)
   * @param rowsBefore rows of every smaller value
   * @param badsBefore their bads
   * @param n rows of the whole sample
   */
  public static List<Hit> hits(double value, long rows, long bads, long rowsBefore, long badsBefore, long n,
      int bins) {
    List<Hit> out = new ArrayList<>();
    for (int k = 1; k < bins; k++) {
      if (isHit(k, rows, rowsBefore, n, bins)) {
        out.add(new Hit(k, value, rowsBefore + rows, badsBefore + bads));
      }
    }
    return out;
  }

  /**
   * The distinct cuts of a sorted sample's hits and its bin counts: the sample is sorted, so the
   * rows of the bin ending at a cut are the rows up to it less those up to the cut before.
   */
  public static Binned binned(List<Hit> hits, long rows, long bads) {
    List<Hit> distinct = new ArrayList<>();
    for (Hit h : hits.stream().sorted(java.util.Comparator.comparingDouble(Hit::value)).toList()) {
      if (distinct.isEmpty() || Double.compare(distinct.get(distinct.size() - 1).value(), h.value()) != 0) {
        distinct.add(h);
      }
    }
    int k = distinct.size();
    double[] cuts = new double[k];
    long[] n = new long[k + 1];
    long[] b = new long[k + 1];
    long rowsBefore = 0;
    long badsBefore = 0;
    for (int i = 0; i < k; i++) {
      Hit h = distinct.get(i);
      cuts[i] = h.value();
      n[i] = h.rowsUpTo() - rowsBefore;
      b[i] = h.badsUpTo() - badsBefore;
      rowsBefore = h.rowsUpTo();
      badsBefore = h.badsUpTo();
    }
    n[k] = rows - rowsBefore;
    b[k] = bads - badsBefore;
    return new Binned(cuts, n, b);
  }

  /**
   * The same cut points from distinct values already counted on the driver.
   *
   * @param values distinct values, ascending, none NaN
   * @param counts rows per value
   */
  public static double[] cuts(double[] values, long[] counts, int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("Invalid bins: " + bins + " (at least 2)");
    }
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    List<double[]> hits = new ArrayList<>();
    long cum = 0;
    for (int i = 0; i < values.length; i++) {
      hits(values[i], counts[i], cum, n, bins, hits);
      cum += counts[i];
    }
    return distinctCuts(hits);
  }

  /** The cuts a value of c rows after cum rows holds: for each k, ceil(k n / G) in integers falls in (cum, cum + c]. */
  private static void hits(double value, long c, long cum, long n, int bins, List<double[]> out) {
    for (int k = 1; k < bins; k++) {
      if (isHit(k, c, cum, n, bins)) {
        out.add(new double[] {k, value});
      }
    }
  }

  private static boolean isHit(int k, long c, long cum, long n, int bins) {
    long rank = (k * n + bins - 1) / bins;
    return rank > cum && rank <= cum + c;
  }

  private static double[] distinctCuts(List<double[]> hits) {
    return hits.stream().mapToDouble(h -> h[1]).distinct().sorted().toArray();
  }

  /** The bin index 0..cuts.length of a value, right-closed, as {@link #bin(Column, double[])} gives it. */
  public static int binOf(double value, double[] cuts) {
    for (int k = 0; k < cuts.length; k++) {
      if (value <= cuts[k]) {
        return k;
      }
    }
    return cuts.length;
  }

  /** True for a value that takes part: not null and not NaN. */
  static Column present(Column value) {
    Column v = value.cast("double");
    return v.isNotNull().and(v.isNaN().unary_$bang());
  }

  /** The bin index 0..cuts.length of a value, right-closed; null for a null value. */
  public static Column bin(Column value, double[] cuts) {
    Column v = value.cast("double");
    Column b = lit(cuts.length);
    for (int k = cuts.length - 1; k >= 0; k--) {
      b = when(v.leq(cuts[k]), lit(k)).otherwise(b);
    }
    return when(v.isNull(), lit(null).cast("int")).otherwise(b);
  }

  /** The bin's bounds as text, e.g. "(600, 650]", for tables and charts. */
  public static String label(double[] cuts, int bin) {
    String lo = bin == 0 ? "-inf" : fmt(cuts[bin - 1]);
    String hi = bin == cuts.length ? "+inf" : fmt(cuts[bin]);
    return "(" + lo + ", " + hi + (bin == cuts.length ? ")" : "]");
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
