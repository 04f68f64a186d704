package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The direct answer to "is approving on the score alone safe?": the model and the score-only policy
 * at the same approval rate, cross-tabulated. The score policy's cutoff is its chosen one on the
 * whole population (without reject inference); when no cutoff qualifies, the score cutoff closest to
 * the historical approval rate stands in. The model's cutoff is the one whose approval rate is
 * closest to the score policy's (ties: the stricter). Each cell reports rows, observed outcomes and
 * bad rate where known, and an inferred bad rate over all its rows (observed outcome where known,
 * the calibrated PD where not).
 */
public final class SwapSets {
  private SwapSets() {}

  static Map<String, Object> compare(Dataset<Row> curve, Dataset<Row> weighted, List<CalibrateJob.Choice> choices,
      CalibrateConfig cc) {
    Dataset<Row> all = curve.where(col("segment_set").equalTo("all").and(col("reject_inference").equalTo("none")));
    Map<String, Object> out = new LinkedHashMap<>();
    Double scoreCutoff = null;
    for (CalibrateJob.Choice c : choices) {
      if (c.scoreSource().equals(CalibrateJob.SOURCE_SCORE) && c.rejectInference().equals("none")
          && c.segmentSet().equals("all")) {
        scoreCutoff = c.chosen().cutoff().cutoff();
      }
    }
    Dataset<Row> scoreCurve = all.where(col("score_source").equalTo(CalibrateJob.SOURCE_SCORE));
    if (scoreCutoff != null) {
      out.put("score_cutoff_from", "the score-only policy's chosen cutoff (" + cc.policy() + ")");
    } else {
      double hist = weighted.agg(avg(when(col("decision").equalTo("approved"), 1.0).otherwise(0.0))).first().getDouble(0);
      scoreCutoff = nearest(scoreCurve, hist);
      out.put("score_cutoff_from", String.format(java.util.Locale.ROOT,
          "no score cutoff meets the policy; the one closest to the historical approval rate %.4f", hist));
    }
    if (scoreCutoff == null) {
      out.put("note", "no application has a consumer score: nothing to compare");
      return out;
    }
    double scoreApproval = scoreCurve.where(col("cutoff").equalTo(scoreCutoff)).first().getDouble(
        scoreCurve.schema().fieldIndex("approval_rate"));
    Double modelCutoff = nearest(all.where(col("score_source").equalTo(CalibrateJob.SOURCE_MODEL)), scoreApproval);
    out.put("score_cutoff", scoreCutoff);
    out.put("model", cc.model());
    out.put("model_cutoff", modelCutoff);
    Column byScore = coalesce(col("score_at_application").geq(lit(scoreCutoff)), lit(false));
    Column byModel = round(col("model_score")).geq(lit(modelCutoff));
    Column known = col("split").isNotNull().and(col("label").isNotNull());
    Column inferredBad = when(known, col("label").cast("double")).otherwise(col(PdCalibration.PD_CAL));
    Map<String, Object> cells = new LinkedHashMap<>();
    long total = 0;
    for (Row r : weighted.groupBy(byScore.as("score_approves"), byModel.as("model_approves"))
        .agg(count(lit(1)).as("n"), sum(when(known, 1L).otherwise(0L)).as("known"),
            sum(when(known, col("label")).otherwise(0)).as("bads"), avg(inferredBad).as("inferred"),
            avg(col(PdCalibration.PD_CAL)).as("mean_pd"))
        .collectAsList()) {
      boolean s = r.getBoolean(0);
      boolean m = r.getBoolean(1);
      String name = s && m ? "both_approve" : s ? "score_only_approves" : m ? "model_only_approves" : "both_reject";
      Map<String, Object> cell = new LinkedHashMap<>();
      long n = r.getLong(2);
      long k = r.getLong(3);
      long bads = ((Number) r.get(4)).longValue();
      total += n;
      cell.put("n", n);
      cell.put("n_observed", k);
      cell.put("observed_bads", bads);
      cell.put("observed_bad_rate", k == 0 ? null : (double) bads / k);
      cell.put("inferred_bad_rate", r.getDouble(5));
      cell.put("mean_pd", r.getDouble(6));
      cells.put(name, cell);
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String name : List.of("both_approve", "score_only_approves", "model_only_approves", "both_reject")) {
      ordered.put(name, cells.getOrDefault(name, Map.of("n", 0L)));
    }
    out.put("applications", total);
    out.put("cells", ordered);
    return out;
  }

  /** The cutoff whose approval rate is closest to {@code rate}; ties go to the stricter cutoff. */
  private static Double nearest(Dataset<Row> curve, double rate) {
    List<Row> r = curve.orderBy(abs(col("approval_rate").minus(lit(rate))).asc(), col("cutoff").desc())
        .select(col("cutoff")).limit(1).collectAsList();
    return r.isEmpty() ? null : r.get(0).getDouble(0);
  }
}
