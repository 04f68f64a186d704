package com.creditrisk.validation;

import com.creditrisk.metrics.Discrimination;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of the validation_metrics table: one per model, segment and metric, long rather than
 * wide so a monitoring query reads any metric's history with one filter and new metrics need no
 * schema change. Segments: "all", "application_month=YYYY-MM" (PSI) and "risk_grade=G" (Jeffreys).
 * A few dozen rows per model, made on the driver from the results.
 */
public final class ValidationMetricsRows {
  /** The table's columns: monitor's tests build a history with them. */
  public static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("run_id", DataTypes.StringType, false),
      DataTypes.createStructField("as_of_date", DataTypes.DateType, false),
      DataTypes.createStructField("model_run_id", DataTypes.StringType, false),
      DataTypes.createStructField("model", DataTypes.StringType, false),
      DataTypes.createStructField("segment", DataTypes.StringType, false),
      DataTypes.createStructField("metric", DataTypes.StringType, false),
      DataTypes.createStructField("value", DataTypes.DoubleType, true),
      DataTypes.createStructField("light", DataTypes.StringType, true)));

  private ValidationMetricsRows() {}

  /** The rows of one validate run: every model's metrics, keyed by the run and the train run validated. */
  public static Dataset<Row> frame(SparkSession spark, String runId, LocalDate asOfDate, String modelRunId,
      Map<String, ValidationResult> results) {
    return frame(spark, runId, asOfDate, modelRunId, results, List.of());
  }

  /**
   * A metric of a model that the validation pack does not compute: the run's stage adds it from the
   * other stages' outputs (e.g. the approval rate at calibrate's chosen cutoff). No light.
   */
  public record Extra(String model, String segment, String metric, double value) {}

  /** The same with the stage's own metrics after the pack's. */
  public static Dataset<Row> frame(SparkSession spark, String runId, LocalDate asOfDate, String modelRunId,
      Map<String, ValidationResult> results, List<Extra> extras) {
    List<Row> rows = new ArrayList<>();
    Date asOf = Date.valueOf(asOfDate);
    results.forEach((model, r) -> {
      for (Metric m : metrics(r)) {
        rows.add(RowFactory.create(runId, asOf, modelRunId, model, m.segment(), m.metric(), m.value(),
            m.light()));
      }
    });
    for (Extra e : extras) {
      rows.add(RowFactory.create(runId, asOf, modelRunId, e.model(), e.segment(), e.metric(),
          Double.isFinite(e.value()) ? e.value() : null, null));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** @param value null when the statistic is undefined (NaN) */
  record Metric(String segment, String metric, Double value, String light) {}

  static List<Metric> metrics(ValidationResult r) {
    List<Metric> out = new ArrayList<>();
    Discrimination.Result d = r.discrimination();
    String all = "all";
    add(out, all, "n", d.n(), null);
    add(out, all, "n_bad", d.nBad(), null);
    add(out, all, "auc", d.auc(), null);
    add(out, all, "auc_se", d.aucSe(), null);
    add(out, all, "auc_ci95_low", d.aucCi95().lo(), null);
    add(out, all, "auc_ci95_high", d.aucCi95().hi(), null);
    add(out, all, "gini", d.gini(), null);
    add(out, all, "ks", d.ks(), null);
    if (r.developmentAuc() != null) {
      add(out, all, "development_auc", r.developmentAuc(), null);
    }
    if (r.calibration() != null) {
      add(out, all, "brier", r.calibration().brier(), null);
      add(out, all, "mean_pd", r.calibration().meanPd(), null);
    }
    if (r.paired() != null) {
      add(out, all, "delong_paired_difference", r.paired().difference(), null);
      add(out, all, "delong_paired_p", r.paired().pValue(), null);
    }
    if (r.hosmerLemeshow() != null) {
      add(out, all, "hosmer_lemeshow_chi2", r.hosmerLemeshow().chi2(), null);
    }
    if (r.jeffreysPortfolio() != null) {
      add(out, all, "observed_bad_rate", r.jeffreysPortfolio().observedRate(), null);
    }
    for (TrafficLights.Light l : r.lights()) {
      String segment = switch (l.check()) {
        case "psi_month" -> "application_month=" + l.subject();
        case "jeffreys_grade" -> "risk_grade=" + l.subject();
        default -> l.subject() == null ? all : l.check() + "=" + l.subject();
      };
      String metric = switch (l.check()) {
        case "psi_month" -> "psi";
        case "jeffreys_grade", "jeffreys_portfolio", "hosmer_lemeshow" -> l.check().replace("_grade", "")
            .replace("_portfolio", "") + "_p";
        case "rank_ordering" -> "rank_ordering_breaks";
        case "auc_drop" -> "auc_drop_se";
        default -> l.check();
      };
      add(out, segment, metric, l.value(), l.level());
    }
    for (PdAccuracy.Jeffreys j : r.jeffreysByGrade()) {
      String segment = "risk_grade=" + j.grade();
      add(out, segment, "n", j.n(), null);
      add(out, segment, "observed_bad_rate", j.observedRate(), null);
      add(out, segment, "mean_pd", j.meanPd(), null);
    }
    out.add(new Metric(all, "verdict", null, r.verdict()));
    return out;
  }

  private static void add(List<Metric> out, String segment, String metric, double value, String light) {
    out.add(new Metric(segment, metric, Double.isFinite(value) ? value : null, light));
  }
}
