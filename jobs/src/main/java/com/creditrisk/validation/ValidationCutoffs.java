package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.metrics.SortedGroups;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The cutoffs of {@code validate --scores}, by DESIGN.md's rule: candidates are the distinct
 * scores; approve score >= c (score <= c when higher is risk). For a bad-rate target T the cutoff is
 * the most permissive candidate whose approved bad rate is <= T, the conservative one the most
 * permissive whose one-sided 95% Jeffreys upper bound BetaInv(0.95; D + 0.5, N - D + 0.5) is <= T.
 *
 * <p>Kept small and self-contained so that the cutoff package's curve can replace it. Exact and
 * distributed: distinct scores sorted from the safest, approved totals as running sums
 * ({@link SortedGroups}); each partition reports only its most permissive qualifying candidate.
 */
public final class ValidationCutoffs {
  /** One confidence level of the conservative cutoff. */
  public static final double CONFIDENCE = 0.95;

  private ValidationCutoffs() {}

  /** One target's cutoffs; every field but the target is null when no candidate qualifies. */
  public record Cutoff(double targetBadRate, Double cutoff, Double approvalRate, Double badRate,
      Double cutoffConservative) {}

  private record Hit(int target, boolean conservative, double score, long approved, long bads)
      implements Serializable {}

  public static List<Cutoff> compute(Dataset<Row> rows, Column score, Column label, boolean higherIsSafe,
      List<Double> targets) {
    if (targets.isEmpty()) {
      return List.of();
    }
    Column s = col("s");
    Dataset<Row> groups = rows.groupBy(score.cast("double").as("s"))
        .agg(sum(when(label.equalTo(1), 1L).otherwise(0L)).as("b"), sum(lit1()).as("n"))
        .sort(higherIsSafe ? s.desc() : s.asc());
    double[] t = targets.stream().mapToDouble(Double::doubleValue).toArray();
    try (SortedGroups sorted = SortedGroups.of(groups, 1, 2)) {
      long total = sorted.total(1);
      List<Hit> hits = sorted.collect((i, it, before) -> {
        Hit[] last = new Hit[2 * t.length];
        long bads = before[0];
        long approved = before[1];
        while (it.hasNext()) {
          Row r = it.next();
          bads += r.getLong(1);
          approved += r.getLong(2);
          for (int k = 0; k < t.length; k++) {
            if ((double) bads / approved <= t[k]) {
              last[2 * k] = new Hit(k, false, r.getDouble(0), approved, bads);
            }
            // BetaInv(0.95) <= T exactly when BetaCDF(T) >= 0.95: one CDF instead of a root search.
            // For 1 < a < b the median is at least the mode (D - 0.5) / (N - 1); past T the CDF at T
            // is below 0.5, so the (slow, for large counts) CDF is skipped there.
            boolean beyond = bads >= 1 && 2 * bads < approved && (bads - 0.5) / (approved - 1) > t[k];
            if (!beyond && new BetaDistribution(null, bads + 0.5, approved - bads + 0.5).cumulativeProbability(t[k])
                >= CONFIDENCE) {
              last[2 * k + 1] = new Hit(k, true, r.getDouble(0), approved, bads);
            }
          }
        }
        List<Hit> out = new ArrayList<>();
        for (Hit h : last) {
          if (h != null) {
            out.add(h);
          }
        }
        return out.iterator();
      });
      Hit[] best = new Hit[2 * t.length];
      for (Hit h : hits) {
        // Partitions come in order from the safest score, so the last hit is the most permissive.
        best[2 * h.target() + (h.conservative() ? 1 : 0)] = h;
      }
      List<Cutoff> out = new ArrayList<>();
      for (int k = 0; k < t.length; k++) {
        Hit plain = best[2 * k];
        Hit cons = best[2 * k + 1];
        out.add(new Cutoff(t[k], plain == null ? null : plain.score(),
            plain == null ? null : (double) plain.approved() / total,
            plain == null ? null : (double) plain.bads() / plain.approved(), cons == null ? null : cons.score()));
      }
      return List.copyOf(out);
    }
  }

  private static Column lit1() {
    return org.apache.spark.sql.functions.lit(1L);
  }
}
