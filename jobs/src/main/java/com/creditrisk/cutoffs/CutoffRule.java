package com.creditrisk.cutoffs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig;
import java.io.Serializable;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.apache.spark.sql.Column;

/**
 * DESIGN's cutoff rule, the one place it is written: which candidate cutoff qualifies under a
 * policy, and that the chosen one is always the most permissive qualifying candidate (the lowest
 * score when higher is safer, the highest otherwise). Candidates are the distinct observed scores;
 * a candidate approves score >= c (score <= c when higher is risk).
 *
 * <p>A candidate qualifies only when its approval rate is at least the minimum; the bad-rate
 * policies also need a bad rate (the point estimate, or its one-sided Jeffreys upper bound) at or
 * below the target. A candidate with no labelled approved row has no bad rate and never meets a
 * target. The driver walk over distinct-value counts asks {@link #qualifies}; the distributed curve
 * filters with {@link #qualifiesColumn}, the same conditions on the curve's columns
 * ({@code CutoffRuleTest} holds the two to the same answers).
 *
 * @param kind the policy
 * @param target the bad-rate target (ignored by max profit)
 * @param minApprovalRate the least approval rate a candidate needs
 * @param confidence the one-sided level of the Jeffreys upper bound the curve was computed with
 */
public record CutoffRule(CalibrateConfig.Policy kind, double target, double minApprovalRate, double confidence)
    implements Serializable {
  /**
   * From this level on, a bound above the bad rate is certain while the bad rate is at most 0.5:
   * the Beta(D + 0.5, N - D + 0.5) posterior has at most about 68% of its mass below its mean
   * (D + 0.5) / (N + 1), which is at least D / N then. So a candidate whose plain bad rate misses the
   * target cannot qualify by its bound, and the bound (an inverse Beta CDF) need not be evaluated.
   */
  private static final double BOUND_ABOVE_RATE_FROM = 0.7;

  /**
   * @param approvalRate approved rows over all rows of the key
   * @param badRate approved bads over approved labelled rows, or null when none is labelled
   * @param badRateUpper the Jeffreys upper bound of that rate; asked only when the decision needs it
   */
  public boolean qualifies(double approvalRate, Double badRate, DoubleSupplier badRateUpper) {
    if (!(approvalRate >= minApprovalRate)) {
      return false;
    }
    return switch (kind) {
      case MAX_PROFIT -> true;
      case TARGET_BAD_RATE -> badRate != null && badRate <= target;
      case TARGET_BAD_RATE_UPPER -> badRate != null
          && !(confidence >= BOUND_ABOVE_RATE_FROM && badRate > target && badRate <= 0.5)
          && badRateUpper.getAsDouble() <= target;
    };
  }

  /**
   * {@link #qualifies} over a {@link CutoffCurve} table's {@code approval_rate}, {@code bad_rate}
   * and {@code bad_rate_upper}, as a built-in expression: the same three conditions, read from the
   * curve's columns (where the bound is already computed, so the shortcut above is not needed).
   */
  public Column qualifiesColumn() {
    Column q = col("approval_rate").geq(lit(minApprovalRate));
    return switch (kind) {
      case MAX_PROFIT -> q;
      case TARGET_BAD_RATE -> q.and(col("bad_rate").isNotNull()).and(col("bad_rate").leq(lit(target)));
      case TARGET_BAD_RATE_UPPER -> q.and(col("bad_rate").isNotNull()).and(col("bad_rate_upper").isNotNull())
          .and(col("bad_rate_upper").leq(lit(target)));
    };
  }

  /** The most permissive {@code cutoff} of the rows where {@code qualifies} holds, as an aggregate (null if none). */
  public static Column mostPermissive(Column qualifies, boolean higherIsSafe) {
    Column c = when(qualifies, col("cutoff"));
    return higherIsSafe ? min(c) : max(c);
  }

  /** Whether cutoff {@code a} approves more than cutoff {@code b}. */
  public static boolean morePermissive(double a, double b, boolean higherIsSafe) {
    return higherIsSafe ? a < b : a > b;
  }

  /** Why the policy chose its cutoff, or why none qualifies ({@code cutoff} null). */
  public String reason(Double cutoff, Double badRate, Double badRateUpper) {
    if (cutoff == null) {
      return switch (kind) {
        case TARGET_BAD_RATE -> String.format(Locale.ROOT, "no cutoff has a bad rate <= %s with approval rate >= %s",
            target, minApprovalRate);
        case TARGET_BAD_RATE_UPPER -> String.format(Locale.ROOT,
            "no cutoff has a %.0f%% Jeffreys upper bound <= %s with approval rate >= %s", 100 * confidence, target,
            minApprovalRate);
        case MAX_PROFIT -> String.format(Locale.ROOT, "no cutoff has approval rate >= %s", minApprovalRate);
      };
    }
    return switch (kind) {
      case TARGET_BAD_RATE -> String.format(Locale.ROOT, "lowest cutoff with bad rate %.4f <= target %s",
          nanIfNull(badRate), target);
      case TARGET_BAD_RATE_UPPER -> String.format(Locale.ROOT,
          "lowest cutoff with %.0f%% Jeffreys upper bound %.4f <= target %s", 100 * confidence,
          nanIfNull(badRateUpper), target);
      case MAX_PROFIT -> "largest expected profit";
    };
  }

  private static double nanIfNull(Double v) {
    return v == null ? Double.NaN : v;
  }
}
