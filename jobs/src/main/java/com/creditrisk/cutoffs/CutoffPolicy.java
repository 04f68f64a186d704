package com.creditrisk.cutoffs;

import com.creditrisk.config.CalibrateConfig;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Picks one cutoff per key from a {@link CutoffCurve} table by a {@link CutoffRule}: the most
 * permissive qualifying candidate for the bad-rate policies; for max profit the largest expected
 * profit among the qualifying ones (ties: the most permissive).
 */
public final class CutoffPolicy {
  private CutoffPolicy() {}

  /**
   * One row per key of the curve: the keys, {@code cutoff} (null when no candidate qualifies) and the
   * curve's figures at it (null likewise). Small: one row per segment.
   */
  public static Dataset<Row> choose(Dataset<Row> curve, List<String> keys, CutoffRule rule, boolean higherIsSafe) {
    Column qualifies = rule.qualifiesColumn();
    Column[] keyCols = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> picked;
    if (rule.kind() == CalibrateConfig.Policy.MAX_PROFIT) {
      // Largest profit first, then the most permissive cutoff: order by (profit, permissiveness).
      Column permissive = higherIsSafe ? col("cutoff").multiply(-1) : col("cutoff");
      picked = curve.where(qualifies).groupBy(keyCols)
          .agg(max(struct(col("expected_profit").as("p"), permissive.as("c"))).as("best"))
          .select(concat(keyCols, (higherIsSafe ? col("best.c").multiply(-1) : col("best.c")).as("cutoff")));
    } else {
      picked = curve.groupBy(keyCols).agg(CutoffRule.mostPermissive(qualifies, higherIsSafe).as("cutoff"));
    }
    List<String> joinKeys = new ArrayList<>(keys);
    Dataset<Row> allKeys = curve.select(keyCols).distinct();
    joinKeys.add("cutoff");
    return allKeys.join(picked, scalaSeq(keys), "left")
        .join(curve, scalaSeq(joinKeys), "left");
  }

  /**
   * {@link #choose} collected: each key's cutoff with its figures and the rule's reason, keys in
   * ascending order. One small query.
   */
  public static Map<List<String>, PolicyCutoff> pick(Dataset<Row> curve, List<String> keys, CutoffRule rule,
      boolean higherIsSafe) {
    Map<List<String>, PolicyCutoff> out = new LinkedHashMap<>();
    for (Row r : choose(curve, keys, rule, higherIsSafe)
        .orderBy(keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).collectAsList()) {
      List<String> key = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        key.add(r.getString(i));
      }
      out.put(List.copyOf(key), PolicyCutoff.of(r, rule));
    }
    return out;
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
