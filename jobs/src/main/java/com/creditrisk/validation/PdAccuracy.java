package com.creditrisk.validation;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.special.Gamma;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The accuracy of a PD column against 0/1 outcomes (1 = bad), as DESIGN.md defines it: the Brier
 * score, the Hosmer-Lemeshow test on 10 exact quantile bins of the PD, and the Jeffreys test per
 * risk grade and for the portfolio. Each is one aggregation over the rows (HL needs the cut points
 * first); only per-bin and per-grade totals reach the driver.
 */
public final class PdAccuracy {
  /** Bins of the Hosmer-Lemeshow test. */
  public static final int HL_BINS = 10;

  private PdAccuracy() {}

  /** Portfolio totals: rows, defaults, the sum of PDs and the Brier score. */
  public record Totals(long n, long defaults, double sumPd, double brier) {
    public double meanPd() {
      return sumPd / n;
    }
  }

  /** One Hosmer-Lemeshow bin: its PD range, rows, observed and expected defaults. */
  public record HlBin(String range, long n, long observed, double expected) {}

  /**
   * @param chi2 sum over non-empty bins of (O - E)^2 / (E (1 - E / n_g))
   * @param df non-empty bins - 2
   * @param pValue upper tail of chi2 with df degrees of freedom; null when df <= 0
   * @param pValueOos the same with df = the non-empty bins (out-of-sample reading)
   */
  public record HosmerLemeshow(double chi2, int df, Double pValue, Double pValueOos, List<HlBin> bins) {}

  /**
   * The Jeffreys test of one grade (or of the portfolio): p = BetaCDF(mean PD; D + 0.5, N - D + 0.5);
   * a small p says the PD is too low for the defaults seen. lower95/upper95 is the two-sided 95%
   * Jeffreys interval of the default rate, for charts.
   */
  public record Jeffreys(String grade, long n, long defaults, double meanPd, double observedRate, double pValue,
      double lower95, double upper95) {}

  /** One pass: rows, defaults, sum of PDs and mean squared error of the PD. */
  public static Totals totals(Dataset<Row> rows, Column pd, Column label) {
    Row r = rows.agg(count(lit(1)), sum(label.cast("long")), sum(pd.cast("double")),
        sum(pow(pd.cast("double").minus(label.cast("double")), 2))).first();
    long n = r.getLong(0);
    return new Totals(n, n == 0 ? 0 : r.getLong(1), n == 0 ? 0 : r.getDouble(2), n == 0 ? Double.NaN : r.getDouble(3) / n);
  }

  public static HosmerLemeshow hosmerLemeshow(Dataset<Row> rows, Column pd, Column label) {
    double[] cuts = QuantileCuts.cuts(rows, pd, HL_BINS);
    List<Row> bins = rows.groupBy(QuantileCuts.bin(pd, cuts).as("bin"))
        .agg(count(lit(1)).as("n"), sum(label.cast("long")).as("o"), sum(pd.cast("double")).as("e"))
        .collectAsList();
    List<HlBin> out = new ArrayList<>();
    for (Row r : bins.stream().sorted(Comparator.comparingInt(r -> r.getInt(0))).toList()) {
      out.add(new HlBin(QuantileCuts.label(cuts, r.getInt(0)), r.getLong(1), r.getLong(2), r.getDouble(3)));
    }
    return hosmerLemeshow(out);
  }

  /** The portfolio totals and the Hosmer-Lemeshow test. */
  record FromGroups(Totals totals, HosmerLemeshow hosmerLemeshow) {}

  /**
   * Totals and the Hosmer-Lemeshow test from the distinct PDs already counted on the driver (the
   * validation pack's one-pass summary).
   *
   * @param pd distinct PDs, ascending
   * @param bads bads per PD
   * @param goods goods per PD
   */
  static FromGroups fromGroups(double[] pd, long[] bads, long[] goods) {
    long n = 0;
    long defaults = 0;
    double sumPd = 0;
    double squares = 0;
    long[] rows = new long[pd.length];
    for (int i = 0; i < pd.length; i++) {
      rows[i] = bads[i] + goods[i];
      n += rows[i];
      defaults += bads[i];
      sumPd += rows[i] * pd[i];
      squares += bads[i] * (1 - pd[i]) * (1 - pd[i]) + goods[i] * pd[i] * pd[i];
    }
    Totals totals = new Totals(n, defaults, sumPd, n == 0 ? Double.NaN : squares / n);
    double[] cuts = QuantileCuts.cuts(pd, rows, HL_BINS);
    long[] bn = new long[cuts.length + 1];
    long[] bo = new long[cuts.length + 1];
    double[] be = new double[cuts.length + 1];
    for (int i = 0; i < pd.length; i++) {
      int bin = QuantileCuts.binOf(pd[i], cuts);
      bn[bin] += rows[i];
      bo[bin] += bads[i];
      be[bin] += rows[i] * pd[i];
    }
    List<HlBin> bins = new ArrayList<>();
    for (int k = 0; k < bn.length; k++) {
      if (bn[k] > 0) {
        bins.add(new HlBin(QuantileCuts.label(cuts, k), bn[k], bo[k], be[k]));
      }
    }
    return new FromGroups(totals, hosmerLemeshow(bins));
  }

  /** Jeffreys per grade from per-grade totals (rows, defaults, sum of PDs), in the grades' natural order. */
  static List<Jeffreys> jeffreysByGrade(java.util.Map<String, double[]> byGrade) {
    List<Jeffreys> out = new ArrayList<>();
    byGrade.forEach((g, t) -> out.add(jeffreys(g, (long) t[0], (long) t[1], t[2])));
    out.sort(Comparator.comparing(Jeffreys::grade, PdAccuracy::compareGrades));
    return List.copyOf(out);
  }

  /** The statistic from per-bin totals (empty bins are simply absent). */
  static HosmerLemeshow hosmerLemeshow(List<HlBin> bins) {
    double chi2 = 0;
    for (HlBin b : bins) {
      double share = b.expected() / b.n();
      // A bin whose every PD is 0 or 1 has no variance to compare with: it adds nothing.
      if (share > 0 && share < 1) {
        double d = b.observed() - b.expected();
        chi2 += d * d / (b.expected() * (1 - share));
      }
    }
    int df = bins.size() - 2;
    return new HosmerLemeshow(chi2, df, df <= 0 ? null : chiSquareUpperTail(chi2, df),
        bins.isEmpty() ? null : chiSquareUpperTail(chi2, bins.size()), List.copyOf(bins));
  }

  /** P(X >= x) for X ~ chi2(df), computed as the upper incomplete gamma (no 1 - cdf cancellation). */
  public static double chiSquareUpperTail(double x, int df) {
    return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
  }

  /** Jeffreys test per grade, one aggregation; grades in their natural order (numeric when they parse). */
  public static List<Jeffreys> jeffreysByGrade(Dataset<Row> rows, Column grade, Column pd, Column label) {
    List<Row> byGrade = rows.groupBy(grade.cast("string").as("grade"))
        .agg(count(lit(1)), sum(label.cast("long")), sum(pd.cast("double"))).collectAsList();
    List<Jeffreys> out = new ArrayList<>();
    for (Row r : byGrade) {
      out.add(jeffreys(r.isNullAt(0) ? "null" : r.getString(0), r.getLong(1), r.getLong(2), r.getDouble(3)));
    }
    out.sort(Comparator.comparing(Jeffreys::grade, PdAccuracy::compareGrades));
    return List.copyOf(out);
  }

  /** The Jeffreys test of N rows with D defaults and the given sum of PDs. */
  public static Jeffreys jeffreys(String grade, long n, long defaults, double sumPd) {
    double mean = sumPd / n;
    double[] interval = com.creditrisk.cutoffs.Jeffreys.interval(defaults, n, 0.95);
    return new Jeffreys(grade, n, defaults, mean, (double) defaults / n,
        com.creditrisk.cutoffs.Jeffreys.pValue(mean, defaults, n), interval[0], interval[1]);
  }

  /** The Herfindahl index of a distribution: the sum of squared shares (1 / k for k equal grades, 1 for one). */
  public static double herfindahl(List<Long> counts) {
    double total = counts.stream().mapToLong(Long::longValue).sum();
    return counts.stream().mapToDouble(c -> (c / total) * (c / total)).sum();
  }

  static int compareGrades(String a, String b) {
    Double x = parse(a);
    Double y = parse(b);
    if (x != null && y != null) {
      return Double.compare(x, y);
    }
    return x != null ? -1 : y != null ? 1 : a.compareTo(b);
  }

  private static Double parse(String s) {
    try {
      return Double.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
