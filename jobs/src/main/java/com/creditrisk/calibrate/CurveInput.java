package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.cutoffs.CutoffCurve;
import com.creditrisk.cutoffs.LoanEconomics;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows calibrate's strategy curve is computed from: the population (the latest application
 * months with mature labelled rows) turned into one row per score source, reject-inference variant
 * and segment, with each row's expected profit and loss by the product's economics.
 */
final class CurveInput {
  private CurveInput() {}

  /** The latest {@code n} application months holding mature labelled rows (split set). */
  static List<String> populationMonths(Dataset<Row> rows, int n) {
    List<String> months = new ArrayList<>();
    for (Row r : rows.where(col("split").isNotNull()).select(col("application_month")).distinct()
        .orderBy(col("application_month").desc()).limit(n).collectAsList()) {
      months.add(r.getString(0));
    }
    months.sort(null);
    return months;
  }

  /** One input row per score source, reject-inference variant and segment of each application. */
  static Dataset<Row> rows(Dataset<Row> weighted, CalibrateConfig cc) {
    List<Column> segments = new ArrayList<>();
    segments.add(struct(lit("all").as("segment_set"), lit("all").as("segment")));
    for (List<String> set : cc.segmentSets()) {
      segments.add(struct(lit(CalibrateJob.segmentSetName(set)).as("segment_set"),
          CalibrateJob.segmentOf(set).as("segment")));
    }
    Column sources = array(
        struct(lit(CalibrateJob.SOURCE_MODEL).as("score_source"), CalibrateJob.modelPoints(col("model_score"))
            .as("score")),
        struct(lit(CalibrateJob.SOURCE_SCORE).as("score_source"), col("score_at_application").cast("double").as("score")));
    List<Column> variants = new ArrayList<>();
    variants.add(struct(lit("none").as("ri"), col("w_bad_none").as("b"), col("w_good_none").as("g")));
    if (cc.rejectInference() != CalibrateConfig.RejectInferenceMethod.NONE) {
      variants.add(struct(lit(cc.rejectInference().configName()).as("ri"), col("w_bad_ri").as("b"), col("w_good_ri").as("g")));
    }
    Column p = col(PdCalibration.PD_CAL);
    return weighted
        .withColumn("profit", LoanEconomics.profit(cc, p))
        .withColumn("loss", LoanEconomics.loss(cc, p))
        .withColumn("hist_approved", coalesce(col("decision").equalTo("approved"), lit(false)))
        .withColumn("seg", explode(array(segments.toArray(new Column[0]))))
        .withColumn("src", explode(sources))
        .withColumn("var", explode(array(variants.toArray(new Column[0]))))
        .select(col("src.score_source").as("score_source"), col("var.ri").as("reject_inference"),
            col("seg.segment_set").as("segment_set"), col("seg.segment").as("segment"),
            col("src.score").as(CutoffCurve.SCORE), col("var.b").as(CutoffCurve.W_BAD), col("var.g").as(CutoffCurve.W_GOOD),
            col("profit").as(CutoffCurve.PROFIT), col("loss").as(CutoffCurve.LOSS),
            col("hist_approved").as(CutoffCurve.HIST_APPROVED));
  }

}
