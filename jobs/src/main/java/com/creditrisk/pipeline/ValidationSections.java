package com.creditrisk.pipeline;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.calibrate.CutoffsFile;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SectionKind;
import com.creditrisk.run.FinishedBuilds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The report sections of {@code validate --as-of} that come from the other stages' tables rather
 * than from the validation pack: calibrate's strategy curve and the vintage curves of
 * loan_performance. Each records the table version it read.
 */
final class ValidationSections {
  /** About this many points of the strategy curve reach the report. */
  static final int STRATEGY_POINTS = 200;

  private ValidationSections() {}

  /**
   * The deployed model's approval strategy from calibrate's cutoff curve (segment all, no reject
   * inference), thinned in Spark to about {@link #STRATEGY_POINTS} cutoffs, with the cutoff
   * calibrate chose for it.
   */
  static ReportSection strategy(SparkSession spark, CreditRiskConfig conf, LocalDate asOf, String modelRunId,
      String runDir, Map<String, Long> versions) {
    WarehouseTable table = WarehouseTable.CUTOFF_CURVE;
    Optional<Long> version = table.currentVersion(spark, conf);
    ReportSection missing = new ReportSection.NotAvailable(SectionKind.STRATEGY, "run calibrate first (calibrate "
        + "--as-of " + asOf + " --model " + modelRunId + ")");
    if (version.isEmpty()) {
      return missing;
    }
    versions.put(table.tableName(), version.get());
    String model = conf.calibrate().model();
    Dataset<Row> curve = table.readRun(spark, conf, version.get(), asOf, modelRunId)
        .where(col("model").equalTo(model)
            .and(col("score_source").equalTo(CalibrateJob.SOURCE_MODEL)).and(col("reject_inference").equalTo("none"))
            .and(col("segment_set").equalTo("all")).and(col("segment").equalTo("all"))
            .and(col("bad_rate").isNotNull()))
        .select("cutoff", "n_approved", "approval_rate", "bad_rate", "bad_rate_upper");
    long n = curve.count();
    if (n == 0) {
      return missing;
    }
    long step = Math.max(1, (n + STRATEGY_POINTS - 1) / STRATEGY_POINTS);
    // One segment's curve: a few thousand rows at most, so one window partition is fine.
    List<ReportSection.StrategyPoint> points = curve
        .withColumn("rn", row_number().over(Window.orderBy(col("cutoff"))))
        .where(col("rn").minus(1).mod(step).equalTo(0).or(col("rn").equalTo(n)))
        .orderBy("cutoff").collectAsList().stream()
        .map(r -> new ReportSection.StrategyPoint(r.getDouble(0), r.getLong(1), r.getDouble(2), r.getDouble(3),
            r.isNullAt(4) ? null : r.getDouble(4)))
        .toList();
    Double chosen = null;
    Double target = null;
    Optional<CutoffsFile> cutoffs = CutoffsFile.read(spark, runDir);
    if (cutoffs.isPresent() && modelRunId.equals(cutoffs.get().modelRunId())) {
      target = cutoffs.get().targetBadRate();
      chosen = cutoffs.get().modelCutoffOfAll().orElse(null);
    }
    return new ReportSection.Strategy("Model score of " + model + " (points), approve score >= cutoff",
        List.of(new ReportSection.StrategyCurve("all", points, chosen, target)));
  }

  /**
   * Cumulative bad rate by months on book per disbursement month, over the mature loans of
   * loan_performance as of the date: a loan turns bad in the month on book its first bad date
   * falls in (counted from disbursement, at least 1, at most the label window).
   */
  static ReportSection vintages(SparkSession spark, CreditRiskConfig conf, LocalDate asOf,
      Map<String, Long> versions) {
    WarehouseTable table = WarehouseTable.LOAN_PERFORMANCE;
    Optional<Long> version = FinishedBuilds.version(spark, conf, table, asOf);
    if (version.isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.VINTAGE,
          "no finished build-dataset run of this date (run build-dataset first)");
    }
    versions.put(table.tableName(), version.get());
    int window = conf.windowMonths();
    Column badMob = when(col("first_bad_date").isNotNull().and(col("label").equalTo(1)),
        least(lit(window), greatest(lit(1), ceil(months_between(col("first_bad_date"), col("disbursed_date")))
            .cast("int"))));
    List<Row> cells = table.readAsOf(spark, conf, version.get(), asOf).where(col("mature"))
        .groupBy(date_format(col("disbursed_date"), "yyyy-MM").as("month"), badMob.as("mob"))
        .agg(count(lit(1)).as("n"))
        .collectAsList();
    Map<String, long[]> byMonth = new TreeMap<>();
    for (Row r : cells) {
      long[] counts = byMonth.computeIfAbsent(r.getString(0), k -> new long[window + 1]);
      counts[r.isNullAt(1) ? 0 : r.getInt(1)] += r.getLong(2);
    }
    List<ReportSection.VintageCurve> curves = new ArrayList<>();
    byMonth.forEach((month, counts) -> {
      long loans = 0;
      for (long c : counts) {
        loans += c;
      }
      List<ReportSection.MobPoint> points = new ArrayList<>();
      long bads = 0;
      for (int mob = 1; mob <= window; mob++) {
        bads += counts[mob];
        points.add(new ReportSection.MobPoint(mob, (double) bads / loans));
      }
      curves.add(new ReportSection.VintageCurve(month, loans, points));
    });
    return curves.isEmpty()
        ? new ReportSection.NotAvailable(SectionKind.VINTAGE, "no mature loan as of " + asOf)
        : new ReportSection.Vintages(curves);
  }
}
