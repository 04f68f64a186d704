package com.creditrisk.validation;

import static org.apache.spark.sql.functions.lit;

import com.creditrisk.cutoffs.CutoffCurve;
import com.creditrisk.cutoffs.CutoffPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The cutoffs of {@code validate --scores}, by DESIGN.md's rule, from the cutoff package's exact
 * strategy curve ({@link CutoffCurve}) and its policies ({@link CutoffPolicy}): candidates are the
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
      // Every target reads the curve twice: keep it rather than recompute its Jeffreys bounds.
      Dataset<Row> table = curve.table().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<Cutoff> out = new ArrayList<>();
        for (double t : targets) {
          Row plain = CutoffPolicy.choose(table, KEYS, CutoffPolicy.Kind.TARGET_BAD_RATE, t, 0.0, higherIsSafe)
              .first();
          Row cons = CutoffPolicy.choose(table, KEYS, CutoffPolicy.Kind.TARGET_BAD_RATE_UPPER, t, 0.0, higherIsSafe)
              .first();
          out.add(new Cutoff(t, value(plain, "cutoff"), value(plain, "approval_rate"), value(plain, "bad_rate"),
              value(cons, "cutoff")));
        }
        return List.copyOf(out);
      } finally {
        table.unpersist(false);
      }
    }
  }

  private static Double value(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? null : r.getDouble(i);
  }
}
