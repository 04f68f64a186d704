package com.creditrisk.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.monitoring.Indicators.Indicator;
import com.creditrisk.monitoring.Indicators.MetricRow;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.ReportRenderer;
import com.creditrisk.report.SmallCells;
import com.creditrisk.run.ModelCardFile;
import com.creditrisk.run.RunFolder;
import com.creditrisk.metrics.Lights;
import java.io.IOException;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code credit-risk monitor}: the history of the scheduled runs of this config, read from
 * validation_metrics at one pinned version, as one trend per model, segment and indicator with its
 * light. Writes the rows of monitoring_metrics for the as-of dates it covers (a rerun over the same
 * dates replaces them) and {@code <warehouse>/monitoring/<to>/report.html} plus monitoring.json;
 * when a file cannot be written the table is rolled back, so nothing is left half-written.
 *
 * <p>validation_metrics holds a few dozen aggregate rows per run and model, so the history is
 * brought to the driver whole: 24 monthly runs of five models are a few thousand rows, whatever
 * the number of applications behind them.
 */
public final class MonitorJob {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorJob.class);

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("as_of_date", DataTypes.DateType, false),
      DataTypes.createStructField("model", DataTypes.StringType, false),
      DataTypes.createStructField("segment", DataTypes.StringType, false),
      DataTypes.createStructField("indicator", DataTypes.StringType, false),
      DataTypes.createStructField("value", DataTypes.DoubleType, false),
      DataTypes.createStructField("low", DataTypes.DoubleType, true),
      DataTypes.createStructField("high", DataTypes.DoubleType, true),
      DataTypes.createStructField("reference", DataTypes.DoubleType, true),
      DataTypes.createStructField("light", DataTypes.StringType, true),
      DataTypes.createStructField("run_id", DataTypes.StringType, false),
      DataTypes.createStructField("model_run_id", DataTypes.StringType, false)));

  private MonitorJob() {}

  /**
   * @param from the first as-of date to read, or null for the whole history
   * @param to the last as-of date to read, or null for the latest one validated
   * @param gate whether the command exits 4 when the verdict is red (after everything is written)
   */
  public record Input(CreditRiskConfig conf, LocalDate from, LocalDate to, boolean gate) {
    public Input {
      if (from != null && to != null && from.isAfter(to)) {
        throw Errors.badUsage("Invalid --from " + from + ": after --to " + to);
      }
    }
  }

  /**
   * @param from the first as-of date covered (the earliest found when --from was not given)
   * @param to the last as-of date covered, the report folder's name
   * @param historyVersion the version of validation_metrics read
   * @param rows rows written to monitoring_metrics
   * @param verdict the worst light of the latest as-of date
   * @param reasons its non-green indicators in words, worst first
   * @param gateFailed the input asked for the gate and the verdict is red
   */
  public record Result(LocalDate from, LocalDate to, int asOfDates, long historyVersion, String tablePath,
      long tableVersion, int rows, String verdict, List<String> reasons, List<String> missing, String folder,
      String reportPath, boolean gateFailed) {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    String action = "monitor" + (in.from() == null ? "" : " from " + in.from()) + (in.to() == null ? ""
        : " to " + in.to());
    WarehouseTable history = WarehouseTable.VALIDATION_METRICS;
    long version = history.requireVersion(spark, conf, action, "run validate --as-of DATE, or run, first");
    spark.sparkContext().setJobDescription(action + ": read validation_metrics version " + version);
    List<MetricRow> rows = read(history.readAt(spark, conf, version), conf.fingerprint(), in.from(), in.to());
    if (rows.isEmpty()) {
      throw Errors.missingStageOutput(action, "validation_metrics rows of this config (fingerprint "
          + conf.fingerprint() + ")" + (in.from() == null && in.to() == null ? "" : " in the range"),
          history.path(conf), "run validate --as-of DATE for a date in the range first");
    }
    LocalDate from = in.from() != null ? in.from() : rows.stream().map(MetricRow::asOf).min(LocalDate::compareTo)
        .orElseThrow();
    LocalDate to = in.to() != null ? in.to() : rows.stream().map(MetricRow::asOf).max(LocalDate::compareTo)
        .orElseThrow();

    Map<String, Map<String, Double>> developmentKs = new TreeMap<>();
    rows.stream().map(MetricRow::modelRunId).distinct().forEach(r ->
        developmentKs.put(r, ModelCardFile.testMetric(spark, conf, r, "ks")));
    List<String> missing = new ArrayList<>();
    List<Indicator> indicators = new ArrayList<>(Indicators.of(rows, developmentKs, conf.monitoring(),
        conf.validation(), missing));
    // Issue 15, items 3 and 4: early warning and estimated performance join before the verdict.
    BeforeLabels.Result early = BeforeLabels.compute(spark, conf, rows, indicators, history.readAt(spark, conf,
        version), missing);
    indicators.addAll(early.indicators());
    List<Indicator> latest = Indicators.latestLights(indicators);
    String verdict = Indicators.verdict(latest);
    List<String> reasons = Indicators.reasons(latest);
    long dates = rows.stream().map(MetricRow::asOf).distinct().count();
    String reason = reasons.isEmpty()
        ? String.format(Locale.ROOT, "Every indicator green as of %s (%d lights over %d as-of dates)",
            latest.isEmpty() ? to : latest.get(0).asOf(), latest.size(), dates)
        : String.join("; ", reasons);

    String folder = RunFolder.monitoringPath(conf, to);
    String subtitle = String.format(Locale.ROOT, "As-of dates %s to %s: %d runs of config %s; validation_metrics "
        + "version %d", from, to, dates, conf.fingerprint(), version);
    ReportModel report = MonitorReport.build(subtitle, Instant.now(), indicators, latest, verdict,
        Indicators.shownReason(latest, reason), missing,
        conf.monitoring(), conf.validation(), early.charts());
    String html = new ReportRenderer(new SmallCells(conf.minCellCount())).render(report);

    WarehouseTable table = WarehouseTable.MONITORING_METRICS;
    String predicate = table.rangePredicate(from, to);
    Optional<Long> previous = table.currentVersion(spark, conf);
    spark.sparkContext().setJobDescription(action + ": write monitoring_metrics " + predicate);
    long written = com.creditrisk.io.DeltaTables.replaceRows(spark, frame(spark, indicators), table.path(conf),
        predicate);
    Map<String, Object> json = json(conf, from, to, version, table.path(conf), written, predicate, indicators,
        verdict, reason, missing, early.inputVersions());
    String tmp = folder + ".tmp-" + System.nanoTime();
    try {
      RunFolder.writeText(spark, tmp, "report.html", html);
      RunFolder.writeJson(spark, tmp, "monitoring.json", json);
      RunFolder.replaceFolder(spark, tmp, folder);
    } catch (IOException | RuntimeException e) {
      // The table's rows and the report describe the same history: without the report, neither.
      table.rollback(spark, conf, predicate, previous, written);
      delete(spark, tmp);
      throw Errors.cannot("write " + folder, e);
    }
    LOG.info("monitor {} to {}: {} indicators over {} as-of dates, verdict {}", from, to, indicators.size(), dates,
        verdict);
    return new Result(from, to, (int) dates, version, table.path(conf), written, indicators.size(), verdict,
        reasons, List.copyOf(missing), folder, folder + "/report.html",
        in.gate() && verdict.equals(Lights.RED));
  }

  /** The history rows of this config's runs in the range: the segments and metrics monitor reads. */
  static List<MetricRow> read(Dataset<Row> validationMetrics, String fingerprint, LocalDate from, LocalDate to) {
    Column where = col("run_id").endsWith("-" + fingerprint)
        .and(col("segment").equalTo(Indicators.ALL).or(col("segment").startsWith(Indicators.CSI + "="))
            .or(col("metric").equalTo(Indicators.APPROVAL_RATE)))
        .and(col("metric").isin(Indicators.METRICS.toArray()))
        .and(col("value").isNotNull().or(col("metric").equalTo("verdict")));
    if (from != null) {
      where = where.and(col("as_of_date").geq(lit(from.toString()).cast("date")));
    }
    if (to != null) {
      where = where.and(col("as_of_date").leq(lit(to.toString()).cast("date")));
    }
    List<MetricRow> out = new ArrayList<>();
    for (Row r : validationMetrics.where(where).select("as_of_date", "run_id", "model_run_id", "model", "segment",
        "metric", "value", "light").collectAsList()) {
      out.add(new MetricRow(date(r.get(0)), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
          r.getString(5), r.isNullAt(6) ? null : r.getDouble(6), r.getString(7)));
    }
    return out;
  }

  static Dataset<Row> frame(SparkSession spark, List<Indicator> indicators) {
    List<Row> rows = new ArrayList<>();
    for (Indicator i : indicators) {
      rows.add(RowFactory.create(Date.valueOf(i.asOf()), i.model(), i.segment(), i.indicator(), i.value(), i.low(),
          i.high(), i.reference(), i.light(), i.runId(), i.modelRunId()));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static Map<String, Object> json(CreditRiskConfig conf, LocalDate from, LocalDate to, long version,
      String tablePath, long tableVersion, String predicate, List<Indicator> indicators, String verdict,
      String reason, List<String> missing, Map<String, Object> moreInputs) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", "monitor");
    json.put("from", from.toString());
    json.put("to", to.toString());
    json.put("config_fingerprint", conf.fingerprint());
    json.put("code_version", RunFolder.codeVersion());
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put(WarehouseTable.VALIDATION_METRICS.tableName(), version);
    inputs.putAll(moreInputs);
    json.put("input_versions", inputs);
    json.put("verdict", verdict);
    json.put("verdict_reason", reason);
    json.put("verdict_rule", "the worst light of the latest as-of date's indicators");
    // In source order: Map.of's iteration order changes from one JVM start to the next.
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("path", tablePath);
    table.put("version", tableVersion);
    table.put("replaced", predicate);
    table.put("rows", indicators.size());
    json.put("table", table);
    json.put("missing", missing);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Indicator i : indicators) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("as_of_date", i.asOf().toString());
      m.put("model", i.model());
      m.put("segment", i.segment());
      m.put("indicator", i.indicator());
      m.put("value", i.value());
      m.put("low", i.low());
      m.put("high", i.high());
      m.put("reference", i.reference());
      m.put("light", i.light());
      m.put("rule", i.rule());
      m.put("run_id", i.runId());
      list.add(m);
    }
    json.put("indicators", list);
    return json;
  }

  private static LocalDate date(Object v) {
    return v instanceof LocalDate d ? d : ((Date) v).toLocalDate();
  }

  private static void delete(SparkSession spark, String folder) {
    try {
      Path p = new Path(folder);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(p, true);
    } catch (IOException e) {
      LOG.warn("Cannot remove {}: {}", folder, e.getMessage());
    }
  }
}
