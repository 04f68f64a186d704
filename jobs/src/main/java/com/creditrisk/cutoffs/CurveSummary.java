package com.creditrisk.cutoffs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a {@link CutoffCurve} table says about one key as a whole.
 *
 * @param nTotal rows of the key, scored or not
 * @param candidates distinct scores, so candidate cutoffs
 * @param bads bads approved at the most permissive candidate: every scored bad of the key
 * @param edgeScore the most permissive historically approved score, or null when none was approved
 */
public record CurveSummary(long nTotal, long candidates, double bads, Double edgeScore) {
  /** One summary per key of the curve; one small query. */
  public static Map<List<String>, CurveSummary> of(Dataset<Row> curve, List<String> keys) {
    Map<List<String>, CurveSummary> out = new LinkedHashMap<>();
    for (Row r : curve.groupBy(keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(max(col("n_bad")).as("bads"), first(col("n_total")).as("n_total"), count(lit(1)).as("candidates"),
            first(col("edge_score"), true).as("edge"))
        .collectAsList()) {
      List<String> key = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        key.add(r.getString(i));
      }
      int edge = r.fieldIndex("edge");
      out.put(List.copyOf(key), new CurveSummary(r.getLong(r.fieldIndex("n_total")),
          r.getLong(r.fieldIndex("candidates")), r.getDouble(r.fieldIndex("bads")),
          r.isNullAt(edge) ? null : r.getDouble(edge)));
    }
    return out;
  }
}
