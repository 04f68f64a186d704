package com.creditrisk.cutoffs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.config.CalibrateConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The validation pack's cutoffs: for each bad-rate target T, the {@link CutoffRule} cutoff of the
 * plain bad rate and the conservative one of its one-sided 95% Jeffreys upper bound, over one
 * labelled population with no minimum approval rate. Two engines, one rule: {@link #compute} on the
 * distributed {@link CutoffCurve}, {@link #fromCounts} on distinct scores already counted on the
 * driver.
 */
public final class TargetCutoffs {
  /** The confidence of the conservative cutoff's Jeffreys bound. */
  public static final double CONFIDENCE = 0.95;
  private static final List<String> KEYS = List.of("population");

  private TargetCutoffs() {}

  /** One target's cutoffs; the cutoff, approval rate and bad rate are null when no candidate qualifies. */
  public record Cutoff(double targetBadRate, Double cutoff, Double approvalRate, Double badRate,
      Double cutoffConservative) {}

  private static CutoffRule plain(double target) {
    return new CutoffRule(CalibrateConfig.Policy.TARGET_BAD_RATE, target, 0.0, CONFIDENCE);
  }

  private static CutoffRule conservative(double target) {
    return new CutoffRule(CalibrateConfig.Policy.TARGET_BAD_RATE_UPPER, target, 0.0, CONFIDENCE);
  }

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
      // One aggregation picks every target's two cutoffs, instead of two joins per target and kind;
      // a second reads the curve there.
      Dataset<Row> table = curve.table().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<Column> picks = new ArrayList<>();
        for (double t : targets) {
          picks.add(CutoffRule.mostPermissive(plain(t).qualifiesColumn(), higherIsSafe));
          picks.add(CutoffRule.mostPermissive(conservative(t).qualifiesColumn(), higherIsSafe));
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
   * The same cutoffs from distinct scores already counted on the driver, with the curve's
   * arithmetic: candidates are walked from the most permissive, so each target stops at its first
   * qualifying score, and the Jeffreys bound is evaluated only when the rule asks for it.
   *
   * @param scores distinct scores, ascending
   * @param bads bads per score
   * @param goods goods per score
   */
  public static List<Cutoff> fromCounts(double[] scores, long[] bads, long[] goods, boolean higherIsSafe,
      List<Double> targets) {
    if (targets.isEmpty()) {
      return List.of();
    }
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
    int[] first = firstQualifying(approvedN, approvedBads, total, targets);
    List<Cutoff> out = new ArrayList<>();
    for (int t = 0; t < targets.size(); t++) {
      out.add(cutoff(targets.get(t), candidate(first[2 * t], cutoff, approvedN, approvedBads),
          candidate(first[2 * t + 1], cutoff, approvedN, approvedBads), total));
    }
    return List.copyOf(out);
  }

  /** A candidate cutoff with the labelled rows and bads it approves. */
  public record Candidate(double score, long approved, long approvedBads) implements Serializable {}

  /** The j-th candidate of parallel arrays, or null for j = -1 (none qualified). */
  public static Candidate candidate(int j, double[] score, long[] approvedN, long[] approvedBads) {
    return j < 0 ? null : new Candidate(score[j], approvedN[j], approvedBads[j]);
  }

  /**
   * For each target, the index of the most permissive candidate its plain rule accepts (at 2 t) and
   * its conservative rule accepts (at 2 t + 1), or -1; candidates listed most permissive first. A
   * run of consecutive candidates can be walked on its own: each candidate's answer depends only
   * on what it approves.
   *
   * @param approvedN labelled rows approved at each candidate
   * @param approvedBads bads among them
   * @param total all labelled rows
   */
  public static int[] firstQualifying(long[] approvedN, long[] approvedBads, long total, List<Double> targets) {
    int[] out = new int[2 * targets.size()];
    for (int t = 0; t < targets.size(); t++) {
      Integer plain = first(plain(targets.get(t)), approvedN, approvedBads, total);
      Integer conservative = first(conservative(targets.get(t)), approvedN, approvedBads, total);
      out[2 * t] = plain == null ? -1 : plain;
      out[2 * t + 1] = conservative == null ? -1 : conservative;
    }
    return out;
  }

  /** A target's cutoffs from the candidates its two rules chose (null when none qualifies). */
  public static Cutoff cutoff(double target, Candidate plain, Candidate conservative, long total) {
    Double cons = conservative == null ? null : conservative.score();
    return plain == null
        ? new Cutoff(target, null, null, null, cons)
        : new Cutoff(target, plain.score(), (double) plain.approved() / total,
            (double) plain.approvedBads() / plain.approved(), cons);
  }

  /** The index of the most permissive candidate the rule accepts, or null. */
  private static Integer first(CutoffRule rule, long[] approvedN, long[] approvedBads, long total) {
    for (int j = 0; j < approvedN.length; j++) {
      double labelled = approvedN[j];
      long bads = approvedBads[j];
      if (rule.qualifies((double) approvedN[j] / total, bads / labelled,
          () -> Jeffreys.upperBound(bads, labelled, CONFIDENCE))) {
        return j;
      }
    }
    return null;
  }
}
