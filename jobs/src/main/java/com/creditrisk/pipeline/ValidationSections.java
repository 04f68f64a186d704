package com.creditrisk.pipeline;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.calibrate.CutoffsFile;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.FeatureSource;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.metrics.SortedGroups;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SectionKind;
import com.creditrisk.run.FinishedBuilds;
import com.creditrisk.run.SourcesFile;
import com.creditrisk.validation.DevelopmentPsi;
import com.creditrisk.validation.Stability;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The report sections of {@code validate --as-of} that come from the other stages' outputs rather
 * than from the validation pack: calibrate's strategy curve, the vintage curves of
 * loan_performance, the value of each feature source (evaluate-sources' sources.json) and the CSI
 * of the source features in model_dataset. Each records the table version it read.
 */
final class ValidationSections {
  /** About this many points of the strategy curve reach the report. */
  static final int STRATEGY_POINTS = 200;
  /** The two samples the source features' CSI compares, as the report and metrics.json name them. */
  static final String CSI_BASELINE = "the applications of the development months (those holding train rows)";
  static final String CSI_CURRENT = "the applications of the later months";

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
        .select(col("cutoff"), col("n_approved"), col("approval_rate"), col("bad_rate"), col("bad_rate_upper"),
            lit(1L).as("one"));
    List<Row> kept = thin(curve, STRATEGY_POINTS);
    if (kept.isEmpty()) {
      return missing;
    }
    List<ReportSection.StrategyPoint> points = kept.stream()
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
   * The rows of a curve at ranks 1, 1 + step, 1 + 2 step, ... and the last, by ascending
   * {@code cutoff}, with step = ceil(rows / points): at most about {@code points} rows, in order.
   * The curve has a row per distinct score, so it grows with the data when the score is
   * continuous: it is thinned where it lies, each row's rank read off the sorted partitions.
   *
   * @param curve rows with distinct values of a double column {@code cutoff}; its last column a long 1
   */
  static List<Row> thin(Dataset<Row> curve, int points) {
    int one = curve.schema().fieldNames().length - 1;
    try (SortedGroups sorted = SortedGroups.of(curve.orderBy("cutoff"), one)) {
      long n = sorted.total(0);
      long step = Math.max(1, (n + points - 1) / points);
      return sorted.collect((i, rows, before) -> {
        List<Row> out = new ArrayList<>();
        long rank = before[0];
        while (rows.hasNext()) {
          Row r = rows.next();
          rank++;
          if ((rank - 1) % step == 0 || rank == n) {
            out.add(r);
          }
        }
        return out.iterator();
      });
    }
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
  /**
   * The value of each feature source from this run folder's sources.json, which evaluate-sources
   * (alone or as a stage of run) wrote for the same as-of date and config.
   */
  static ReportSection sourceValues(LocalDate asOf, String runDir, Optional<SourcesFile> file) {
    if (file.isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.SOURCE_VALUE, "no " + SourcesFile.NAME + " in " + runDir
          + " (run evaluate-sources --as-of " + asOf + " first, or run, which does)");
    }
    SourcesFile f = file.get();
    List<ReportSection.SourceWorth> rows = new ArrayList<>();
    for (SourcesFile.Source s : f.sources()) {
      if (!finite(s.overScore()) || !finite(s.overOtherSources())) {
        return new ReportSection.NotAvailable(SectionKind.SOURCE_VALUE, "the AUC gain of source " + s.name()
            + " is undefined (the out-of-time loans of " + SourcesFile.NAME + " hold one class only)");
      }
      rows.add(new ReportSection.SourceWorth(s.name(), s.coverage(), gain(s.overScore()), gain(s.overOtherSources()),
          s.badsAvoidedPer1000Approvals(), s.extraApprovalsPer1000(), s.valuePer1000(), s.verdict()));
    }
    if (rows.isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.SOURCE_VALUE, SourcesFile.NAME + " lists no source");
    }
    return new ReportSection.SourceValues(f.rows(), f.approvalRate(), "runs/" + f.runId() + "/" + SourcesFile.NAME
        + ", model_dataset version " + f.modelDatasetVersion(), rows);
  }

  private static boolean finite(SourcesFile.AucGain g) {
    return Double.isFinite(g.difference()) && Double.isFinite(g.ciLow()) && Double.isFinite(g.ciHigh());
  }

  private static ReportSection.AucGain gain(SourcesFile.AucGain g) {
    return new ReportSection.AucGain(g.difference(), g.ciLow(), g.ciHigh(), g.pValue());
  }

  /**
   * The numeric source features whose CSI {@link #csi} gives: every numeric feature of every
   * declared source, not only those the deployed model uses, since a shift in what a vendor
   * delivers matters to evaluate-sources and to the next train whichever model is deployed today.
   */
  static List<String> sourceFeatures(CreditRiskConfig conf) {
    List<String> features = new ArrayList<>();
    for (FeatureSource s : conf.featureSources().values()) {
      features.addAll(s.featureColumns());
    }
    return features;
  }

  /**
   * CSI of each of {@code candidates} that is a numeric column of model_dataset as of the date,
   * with the score's PSI machinery ({@link Stability}) and baseline ({@code validation.DevelopmentPsi}):
   * every application of the months holding train rows against every application of the other
   * months. Text features (a missing reason, a product) have no bins and are left out. One read of
   * model_dataset for every feature (cached), then one cut and two aggregations per feature. Empty
   * when there is no finished build of the date or no later month.
   */
  static Map<String, Stability.Psi> csi(SparkSession spark, CreditRiskConfig conf, LocalDate asOf,
      Map<String, Long> versions, Collection<String> candidates) {
    WarehouseTable table = WarehouseTable.MODEL_DATASET;
    Map<String, Stability.Psi> out = new LinkedHashMap<>();
    if (candidates.isEmpty()) {
      return out;
    }
    Optional<Long> version = FinishedBuilds.version(spark, conf, table, asOf);
    if (version.isEmpty()) {
      return out;
    }
    versions.put(table.tableName(), version.get());
    Dataset<Row> md = table.readAsOf(spark, conf, version.get(), asOf);
    StructType schema = md.schema();
    List<String> features = candidates.stream().distinct().filter(c -> List.of(schema.fieldNames()).contains(c)
        && schema.apply(c).dataType() instanceof NumericType).toList();
    if (features.isEmpty()) {
      return out;
    }
    List<Column> kept = new ArrayList<>(List.of(col("application_month"), col("split")));
    features.forEach(f -> kept.add(col(f)));
    Dataset<Row> rows = md.select(kept.toArray(new Column[0])).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Set<String> devMonths = DevelopmentPsi.months(rows);
      Dataset<Row> development = rows.where(DevelopmentPsi.inMonths(devMonths));
      Dataset<Row> later = rows.where(not(DevelopmentPsi.inMonths(devMonths)));
      if (development.isEmpty() || later.isEmpty()) {
        return out;
      }
      for (String f : features) {
        Stability.Psi csi = Stability.psi(development, col(f), later, col(f), null).total();
        if (csi.baselineRows() > 0 && csi.currentRows() > 0) {
          out.put(f, csi);
        }
      }
      return out;
    } finally {
      rows.unpersist(false);
    }
  }

  /** The figures of {@link #csi} of some of its features, in their order. */
  static Map<String, Stability.Psi> only(Map<String, Stability.Psi> csi, List<String> features) {
    Map<String, Stability.Psi> out = new LinkedHashMap<>();
    features.stream().distinct().filter(csi::containsKey).forEach(f -> out.put(f, csi.get(f)));
    return out;
  }

  /** The CSI section: the figures of {@link #csi} of the source features, or why there are none. */
  static ReportSection sourceStability(Map<String, Stability.Psi> csi, LocalDate asOf) {
    if (csi.isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.SOURCE_CSI, "no numeric source feature with values both in "
          + "the development months and after them in model_dataset as of " + asOf);
    }
    List<ReportSection.FeatureCsi> rows = new ArrayList<>();
    csi.forEach((f, p) -> rows.add(new ReportSection.FeatureCsi(f, p.baselineRows(), p.currentRows(), p.value())));
    return new ReportSection.SourceStability(CSI_BASELINE, CSI_CURRENT, rows);
  }
}
