package com.creditrisk.monitoring;

import static org.apache.spark.sql.functions.col;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.InputTable;
import com.creditrisk.ingest.InputReader;
import com.creditrisk.ingest.RawInput;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.labels.EarlyDelinquency;
import com.creditrisk.labels.LabelRules;
import com.creditrisk.metrics.EstimateBackTest;
import com.creditrisk.metrics.ExpectedPerformance;
import com.creditrisk.metrics.Lights;
import com.creditrisk.monitoring.Indicators.Indicator;
import com.creditrisk.monitoring.Indicators.MetricRow;
import com.creditrisk.report.ReportSection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The indicators that warn before the labels mature (issue 15, items 3 and 4), read from the
 * pipeline's tables and inputs: the early delinquency of the disbursement months as of the latest
 * as-of date monitored, the performance expected from the PDs of the applications whose outcome
 * window is open at each monitored date ({@link EstimatePopulation}), and the back-test of those
 * estimates on the months matured since. What is
 * missing to compute them (an input path not set, scored_applications absent) is said in
 * {@code missing}, not invented.
 */
final class BeforeLabels {
  /** validate's calibration lights: a red one means the PDs, and so the estimates, cannot be trusted. */
  static final List<String> CALIBRATION_METRICS = List.of("hosmer_lemeshow_p", "jeffreys_p");

  private BeforeLabels() {}

  /**
   * @param indicators rows and charts to add to monitor's
   * @param inputVersions what was read, for monitoring.json's input_versions
   */
  record Result(List<Indicator> indicators, List<ReportSection.Trend> charts, Map<String, Object> inputVersions) {}

  /** One monitored as-of date: the validate run and the train run whose scores it judged. */
  private record Run(LocalDate asOf, String runId, String modelRunId) {}

  static Result compute(SparkSession spark, CreditRiskConfig conf, List<MetricRow> history, List<Indicator> trend,
      Dataset<Row> validationMetrics, List<String> missing) {
    Map<LocalDate, Run> runs = new TreeMap<>();
    Map<LocalDate, Set<String>> models = new TreeMap<>();
    for (MetricRow r : history) {
      if (r.segment().equals(Indicators.ALL)) {
        runs.putIfAbsent(r.asOf(), new Run(r.asOf(), r.runId(), r.modelRunId()));
        models.computeIfAbsent(r.asOf(), d -> new TreeSet<>()).add(r.model());
      }
    }
    Map<String, Object> versions = new LinkedHashMap<>();
    List<Indicator> out = new ArrayList<>();
    List<ReportSection.Trend> charts = new ArrayList<>();
    if (runs.isEmpty()) {
      return new Result(List.of(), List.of(), versions);
    }
    Run latest = runs.get(((TreeMap<LocalDate, Run>) runs).lastKey());
    WarehouseTable scored = WarehouseTable.SCORED_APPLICATIONS;
    WarehouseTable performance = WarehouseTable.LOAN_PERFORMANCE;
    Optional<Long> scoredVersion = scored.currentVersion(spark, conf);
    Optional<Long> performanceVersion = performance.currentVersion(spark, conf);
    Set<String> devMonths = new TreeSet<>();
    if (scoredVersion.isEmpty() || performanceVersion.isEmpty()) {
      missing.add("performance estimated from the PDs and its back-test: " + (scoredVersion.isEmpty()
          ? "scored_applications does not exist" : "loan_performance does not exist (it tells which "
          + "applications' outcome windows are still open)"));
    } else {
      versions.put(scored.tableName(), scoredVersion.get());
      versions.put(performance.tableName(), performanceVersion.get());
      Set<String> red = calibrationRed(validationMetrics, conf.fingerprint());
      Map<String, Double> devAuc = new HashMap<>();
      trend.stream().filter(i -> i.indicator().equals(Indicators.AUC) && i.segment().equals(Indicators.ALL)
          && i.reference() != null).forEach(i -> devAuc.put(i.asOf() + "|" + i.model(), i.reference()));
      Map<LocalDate, Dataset<Row>> populations = new TreeMap<>();
      Map<LocalDate, Map<String, EstimatePopulation.Counts>> counts = new TreeMap<>();
      Dataset<Row> latestSlice = null;
      List<Indicator> estimates = new ArrayList<>();
      for (Run run : runs.values()) {
        Dataset<Row> slice = scored.readRun(spark, conf, scoredVersion.get(), run.asOf(), run.modelRunId())
            .select("application_id", "application_month", "model", "pd", "status", "label", "split");
        latestSlice = slice;
        Dataset<Row> marked = EstimatePopulation.mark(slice, performance.readAsOf(spark, conf,
            performanceVersion.get(), run.asOf()));
        populations.put(run.asOf(), EstimatePopulation.of(marked));
        Map<String, EstimatePopulation.Counts> byMonth = EstimatePopulation.counts(marked);
        counts.put(run.asOf(), byMonth);
        long unknown = byMonth.values().stream().mapToLong(EstimatePopulation.Counts::unknown).sum();
        if (unknown > 0) {
          missing.add(String.format(Locale.ROOT, "performance estimated from the PDs as of %s: %d immature or bad "
              + "rows of scored_applications have no loan_performance row of that date, so whether their outcome "
              + "window had ended is unknown; they are left out", run.asOf(), unknown));
        }
        for (String model : models.get(run.asOf())) {
          ExpectedPerformance.Estimate e = ExpectedPerformance.estimate(populations.get(run.asOf())
              .where(col("model").equalTo(model)), input(conf, null)).all();
          long knownBad = byMonth.entrySet().stream().filter(c -> c.getKey().startsWith(model + "|"))
              .mapToLong(c -> c.getValue().knownBad()).sum();
          boolean calRed = red.contains(run.asOf() + "|" + model);
          estimates.addAll(EstimatedPerformance.estimate(e, knownBad, devAuc.get(run.asOf() + "|" + model), calRed,
              conf.monitoring(), conf.minCellCount(), run.asOf(), model, run.runId(), run.modelRunId()));
        }
      }
      for (String model : models.get(latest.asOf())) {
        estimates.addAll(backTest(conf, model, latest, latestSlice, populations, counts,
            red.contains(latest.asOf() + "|" + model)));
      }
      out.addAll(estimates);
      charts.addAll(EstimatedPerformance.charts(estimates, conf.minCellCount()));
      devMonths.addAll(latestSlice.where(col("split").equalTo("train")).select("application_month")
          .distinct().as(Encoders.STRING()).collectAsList());
    }

    Optional<RawInput> loans = InputReader.read(spark, conf, InputTable.LOANS);
    Optional<RawInput> repayments = InputReader.read(spark, conf, InputTable.REPAYMENTS);
    if (loans.isEmpty() || repayments.isEmpty()) {
      missing.add("early warning on immature cohorts: inputs.loans.path and inputs.repayments.path must be set "
          + "(monitor reads the raw loans and repayments as the label does)");
    } else {
      versions.put(InputTable.LOANS.tableName(), loans.get().source());
      versions.put(InputTable.REPAYMENTS.tableName(), repayments.get().source());
      if (devMonths.isEmpty()) {
        missing.add("early-warning lights: no development months (no train rows in scored_applications of "
            + latest.modelRunId() + "), so the rates have no light");
      }
      List<EarlyDelinquency.Indicator> inds = EarlyWarning.indicators(conf.monitoring());
      double confidence = conf.monitoring().earlyConfidence();
      List<EarlyDelinquency.Comparison> comparisons = EarlyDelinquency.compare(EarlyDelinquency.compute(
          loans.get().typed(), repayments.get().typed(), LabelRules.from(conf, latest.asOf()), inds), devMonths,
          confidence);
      List<Indicator> early = EarlyWarning.rows(comparisons, devMonths, confidence, conf.minCellCount(),
          latest.asOf(), latest.runId(), latest.modelRunId());
      out.addAll(early);
      charts.addAll(0, EarlyWarning.charts(early, inds, confidence, conf.minCellCount()));
    }
    return new Result(List.copyOf(out), List.copyOf(charts), versions);
  }

  /**
   * One model's back-test at the latest date: each application month that had applications in the
   * population of an earlier date and has none immature now (all labelled or settled), against the
   * estimate made at the earliest such date, with that date's PDs, over that date's population
   * that has a label now (like for like: the early bads of then are bads now).
   *
   * @param latestSlice the latest date's scored rows, whose labels are the realised values
   */
  private static List<Indicator> backTest(CreditRiskConfig conf, String model, Run latest, Dataset<Row> latestSlice,
      Map<LocalDate, Dataset<Row>> populations, Map<LocalDate, Map<String, EstimatePopulation.Counts>> counts,
      boolean calibrationRed) {
    Dataset<Row> labelsNow = latestSlice.where(col("model").equalTo(model).and(col("label").isNotNull()))
        .select(col("application_id"), col("label").as("label_now"));
    Map<String, EstimatePopulation.Counts> now = counts.get(latest.asOf());
    // month -> the earliest date before the latest whose population held it
    Map<String, LocalDate> then = new TreeMap<>();
    counts.forEach((date, byMonth) -> byMonth.forEach((key, c) -> {
      if (date.isBefore(latest.asOf()) && key.startsWith(model + "|") && c.open() > 0) {
        then.putIfAbsent(key.substring(model.length() + 1), date);
      }
    }));
    List<EstimateBackTest.Month> auc = new ArrayList<>();
    List<EstimateBackTest.Month> badRate = new ArrayList<>();
    Set<String> small = new HashSet<>();
    for (Map.Entry<String, LocalDate> m : then.entrySet()) {
      if (now.getOrDefault(model + "|" + m.getKey(), EstimatePopulation.Counts.NONE).immature() > 0) {
        continue;
      }
      Dataset<Row> rows = populations.get(m.getValue()).where(col("model").equalTo(model)
          .and(col("application_month").equalTo(m.getKey()))).select("application_id", "pd")
          .join(labelsNow, "application_id");
      ExpectedPerformance.Result r = ExpectedPerformance.estimate(rows, input(conf, "label_now"));
      if (r.labelled().n() == 0) {
        continue;
      }
      if (r.labelled().n() < conf.minCellCount()) {
        small.add(m.getKey());
      }
      auc.add(new EstimateBackTest.Month(m.getKey(), r.labelled().auc(), r.labelled().aucSe(), r.realised().auc()));
      badRate.add(new EstimateBackTest.Month(m.getKey(), r.labelled().badRate(), r.labelled().badRateSe(),
          r.realisedBadRate()));
    }
    List<Indicator> out = new ArrayList<>();
    out.addAll(EstimatedPerformance.backTest("auc", EstimateBackTest.of(auc), auc, small, conf.minCellCount(),
        calibrationRed, latest.asOf(), model, latest.runId(), latest.modelRunId()));
    out.addAll(EstimatedPerformance.backTest("bad_rate", EstimateBackTest.of(badRate), badRate, small,
        conf.minCellCount(), calibrationRed, latest.asOf(), model, latest.runId(), latest.modelRunId()));
    return out;
  }

  /** "as-of|model" of the runs whose calibration light (validation.*) is red. */
  private static Set<String> calibrationRed(Dataset<Row> validationMetrics, String fingerprint) {
    Set<String> out = new HashSet<>();
    for (Row r : validationMetrics.where(col("run_id").endsWith("-" + fingerprint)
        .and(col("segment").equalTo(Indicators.ALL)).and(col("metric").isin(CALIBRATION_METRICS.toArray()))
        .and(col("light").equalTo(Lights.RED))).select("as_of_date", "model").collectAsList()) {
      out.add(r.get(0).toString() + "|" + r.getString(1));
    }
    return out;
  }

  private static ExpectedPerformance.Input input(CreditRiskConfig conf, String labelCol) {
    return new ExpectedPerformance.Input(WarehouseTable.SCORED_APPLICATIONS.tableName(), "pd", labelCol,
        conf.validation().summaryMaxGroups());
  }
}
