package com.creditrisk.cutoffs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Picks one cutoff per key from a {@link CutoffCurve} table, always the most permissive candidate
 * that qualifies (DESIGN "Cutoffs"): the lowest score when higher is safer, the highest otherwise.
 * A candidate qualifies only when its approval rate is at least the minimum; the bad-rate policies
 * also need a bad rate (point estimate, or its Jeffreys upper bound) at or below the target, the
 * profit policy takes the largest expected profit (ties: the most permissive). Candidates with no
 * labelled approved row have no bad rate and never meet a target.
 */
public final class CutoffPolicy {
  public enum Kind {
    TARGET_BAD_RATE, TARGET_BAD_RATE_UPPER, MAX_PROFIT;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  private CutoffPolicy() {}

  /**
   * One row per key of the curve: the keys, {@code cutoff} (null when no candidate qualifies) and the
   * curve's figures at it (null likewise). Small: one row per segment.
   */
  public static Dataset<Row> choose(Dataset<Row> curve, List<String> keys, Kind kind, double target,
      double minApprovalRate, boolean higherIsSafe) {
    Column qualifies = col("approval_rate").geq(lit(minApprovalRate));
    if (kind == Kind.TARGET_BAD_RATE) {
      qualifies = qualifies.and(col("bad_rate").isNotNull()).and(col("bad_rate").leq(lit(target)));
    } else if (kind == Kind.TARGET_BAD_RATE_UPPER) {
      qualifies = qualifies.and(col("bad_rate_upper").isNotNull()).and(col("bad_rate_upper").leq(lit(target)));
    }
    Column[] keyCols = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> picked;
    if (kind == Kind.MAX_PROFIT) {
      // Largest profit first, then the most permissive cutoff: order by (profit, permissiveness).
      Column permissive = higherIsSafe ? col("cutoff").multiply(-1) : col("cutoff");
      picked = curve.where(qualifies).groupBy(keyCols)
          .agg(max(struct(col("expected_profit").as("p"), permissive.as("c"))).as("best"))
          .select(concat(keyCols, (higherIsSafe ? col("best.c").multiply(-1) : col("best.c")).as("cutoff")));
    } else {
      picked = curve.where(qualifies).groupBy(keyCols)
          .agg((higherIsSafe ? min(col("cutoff")) : max(col("cutoff"))).as("cutoff"));
    }
    List<String> joinKeys = new ArrayList<>(keys);
    Dataset<Row> allKeys = curve.select(keyCols).distinct();
    joinKeys.add("cutoff");
    return allKeys.join(picked, scalaSeq(keys), "left")
        .join(curve, scalaSeq(joinKeys), "left");
  }

  private static Column[] concat(Column[] keys, Column extra) {
    Column[] all = new Column[keys.length + 1];
    System.arraycopy(keys, 0, all, 0, keys.length);
    all[keys.length] = extra;
    return all;
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(List<String> cols) {
    return scala.jdk.javaapi.CollectionConverters.asScala(cols).toList();
  }
}
