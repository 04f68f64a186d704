package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.cutoffs.CutoffCurve;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The cutoffs of {@code validate --scores}, by DESIGN.md's rule, from the cutoff package's exact
 * strategy curve ({@link CutoffCurve}), picked by the rule of its target policies
 * ({@link com.creditrisk.cutoffs.CutoffPolicy}): candidates are the
 * distinct scores; approve score >= c (score <= c when higher is risk). For a bad-rate target T the
 * cutoff is the most permissive candidate whose approved bad rate is <= T, the conservative one the
 * most permissive whose one-sided 95% Jeffreys upper bound BetaInv(0.95; D + 0.5, N - D + 0.5) is <= T.
 */
public final class ValidationCutoffs {
  /** The confidence of the conservative cutoff's Jeffreys bound. */
  public static final double CONFIDENCE = 0.95;
  private static final List<String> KEYS = List.of("population");

  private ValidationCutoffs() {}

  /** One target's cutoffs; the cutoff, approval rate and bad rate are null when no candidate qualifies. */
  public record Cutoff(double targetBadRate, Double cutoff, Double approvalRate, Double badRate,
      Double cutoffConservative) {}

  /** @param label 0/1, 1 = bad, never null */
  public static List<Cutoff> compute(Dataset<Row> rows, Column score, Column label, boolean higherIsSafe,
      List<Double> targets) {
    if (targets.isEmpty()) {
      return List.of();
    }
    Column bad = label.cast("double");
    // One population, every row labelled and scored; no economics, and every score seen historically.
    Dataset<Row> in = rows.select(lit("all").as(KEYS.get(0)), score.cast("double").as(CutoffCurve.SCORE),
        bad.as(CutoffCurve.W_BAD), lit(1.0).minus(bad).as(CutoffCurve.W_GOOD), lit(0.0).as(CutoffCurve.PROFIT),
        lit(0.0).as(CutoffCurve.LOSS), lit(true).as(CutoffCurve.HIST_APPROVED));
    try (CutoffCurve curve = CutoffCurve.compute(rows.sparkSession(), in, KEYS, higherIsSafe, CONFIDENCE)) {
      // One aggregation picks every target's two cutoffs (CutoffPolicy's rule, with no minimum
      // approval rate), instead of two joins per target and kind; a second reads the curve there.
      Dataset<Row> table = curve.table().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<Column> picks = new ArrayList<>();
        for (double t : targets) {
          picks.add(permissive(col("bad_rate").leq(t), higherIsSafe));
          picks.add(permissive(col("bad_rate_upper").leq(t), higherIsSafe));
        }
        Row chosen = table.agg(picks.get(0), picks.subList(1, picks.size()).toArray(new Column[0])).first();
        List<Double> plainCutoffs = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
          if (!chosen.isNullAt(2 * k)) {
            plainCutoffs.add(chosen.getDouble(2 * k));
          }
        }
        Map<Double, Row> at = new HashMap<>();
        if (!plainCutoffs.isEmpty()) {
          for (Row r : table.where(col("cutoff").isin(plainCutoffs.toArray())).select("cutoff", "approval_rate",
              "bad_rate").collectAsList()) {
            at.put(r.getDouble(0), r);
          }
        }
        List<Cutoff> out = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
          Double c = chosen.isNullAt(2 * k) ? null : chosen.getDouble(2 * k);
          Double cons = chosen.isNullAt(2 * k + 1) ? null : chosen.getDouble(2 * k + 1);
          Row r = c == null ? null : at.get(c);
          out.add(new Cutoff(targets.get(k), c, r == null ? null : r.getDouble(1), r == null ? null : r.getDouble(2),
              cons));
        }
        return List.copyOf(out);
      } finally {
        table.unpersist(false);
      }
    }
  }

  /**
   * The same cutoffs from distinct scores already counted on the driver (the validation pack's
   * one-pass summary), with the curve's arithmetic: candidates are walked from the most permissive,
   * so each target stops at its first qualifying score; the Jeffreys bound is evaluated only until
   * then, and for every candidate on the way (it is not monotone in the cutoff).
   *
   * @param scores distinct scores, ascending
   * @param bads bads per score
   * @param goods goods per score
   */
  static List<Cutoff> fromGroups(double[] scores, long[] bads, long[] goods, boolean higherIsSafe,
      List<Double> targets) {
    int k = scores.length;
    long total = 0;
    for (int i = 0; i < k; i++) {
      total += bads[i] + goods[i];
    }
    // approvedN[j], approvedBads[j]: the rows approved at the j-th most permissive candidate.
    long[] approvedN = new long[k];
    long[] approvedBads = new long[k];
    double[] cutoff = new double[k];
    long n = total;
    long b = 0;
    for (int i = 0; i < k; i++) {
      b += bads[i];
    }
    for (int j = 0; j < k; j++) {
      // Higher is safe: the most permissive is the lowest score, approving everything; each next
      // candidate drops the group below it. Higher is risk: the mirror image.
      int i = higherIsSafe ? j : k - 1 - j;
      cutoff[j] = scores[i];
      approvedN[j] = n;
      approvedBads[j] = b;
      n -= bads[i] + goods[i];
      b -= bads[i];
    }
    List<Cutoff> out = new ArrayList<>();
    for (double t : targets) {
      Integer plain = null;
      Integer conservative = null;
      for (int j = 0; j < k && (plain == null || conservative == null); j++) {
        double labelled = approvedN[j];
        double badRate = approvedBads[j] / labelled;
        if (plain == null && badRate <= t) {
          plain = j;
        }
        // The bound is at least the posterior mean (D + 0.5) / (N + 1) (a Beta(a, b) with a, b >= 0.5
        // has at most about 68% of its mass below its mean), which is at least the bad rate while
        // that is at most 0.5: such a candidate above the target cannot qualify.
        boolean cannot = badRate > t && badRate <= 0.5;
        if (conservative == null && !cannot
            && com.creditrisk.cutoffs.Jeffreys.upperBound(approvedBads[j], labelled, CONFIDENCE) <= t) {
          conservative = j;
        }
      }
      out.add(plain == null
          ? new Cutoff(t, null, null, null, conservative == null ? null : cutoff[conservative])
          : new Cutoff(t, cutoff[plain], (double) approvedN[plain] / total,
              (double) approvedBads[plain] / approvedN[plain], conservative == null ? null : cutoff[conservative]));
    }
    return List.copyOf(out);
  }

  /** The most permissive candidate meeting the condition: the lowest score when higher is safe, else the highest. */
  private static Column permissive(Column qualifies, boolean higherIsSafe) {
    Column c = when(qualifies, col("cutoff"));
    return higherIsSafe ? min(c) : max(c);
  }

  private static Double value(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? null : r.getDouble(i);
  }
}
