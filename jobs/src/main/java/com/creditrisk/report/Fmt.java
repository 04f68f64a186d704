package com.creditrisk.report;

import java.util.Locale;

/** Number formats of the report: Locale.ROOT everywhere, so a report reads the same on any machine. */
final class Fmt {
  private Fmt() {}

  static String decimal(double x, int decimals) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%." + decimals + "f", x) : "n/a";
  }

  static String percent(double share, int decimals) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * share) : "n/a";
  }

  /** With its sign always shown: a gain or a loss. */
  static String signed(double x, int decimals) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%+." + decimals + "f", x) : "n/a";
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A score as a whole number when it is one (scores are points), else with two decimals. */
  static String score(double s) {
    return s == Math.rint(s) && Math.abs(s) < 1e15 ? String.valueOf((long) s) : decimal(s, 2);
  }

  static String bin(double lower, double upper) {
    if (Double.isInfinite(lower)) {
      return "<= " + score(upper);
    }
    if (Double.isInfinite(upper)) {
      return "> " + score(lower);
    }
    return score(lower) + "-" + score(upper);
  }

  static String pValue(double p) {
    if (!Double.isFinite(p)) {
      return "n/a";
    }
    return p < 0.001 ? "< 0.001" : decimal(p, 3);
  }

  static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
