package com.creditrisk.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The indicators that warn before the labels mature (issue 15, items 3 and 4), read from the
 * pipeline's tables and inputs: the early delinquency of the disbursement months as of the latest
 * as-of date monitored, the performance expected from the PDs of the applications whose outcome
 * window is open at each monitored date ({@link EstimatePopulation}), and the back-test of those
 * estimates on the months matured since. What is
 * missing to compute them (an input path not set, scored_applications absent) is said in
 * {@code missing}, not invented.
 *
 * <p>The estimates and the back-test read scored_applications and loan_performance in two passes,
 * however many dates and models and however many rows (issue 15, "Scale"): one aggregation of
 * every date's population per month and distinct PD, one join of the back-tested rows to today's
 * labels. Each pass's groups are cached; the driver computes every estimate from them when they are
 * at most validation.summary_max_groups, else one keyed sweep over them computes all of the pass's
 * estimates on the cluster ({@link ExpectedPerformance#byKey}, keyed by date and model, or by
 * model and month): the same answers to the last digit, no more reads of the tables.
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
      Map<LocalDate, String> modelRuns = new TreeMap<>();
      runs.values().forEach(r -> modelRuns.put(r.asOf(), r.modelRunId()));
      Reads reads = new Reads(spark, conf, scoredVersion.get(), performanceVersion.get(), modelRuns);
      // Pass 1: every date's population, counted per month and distinct PD in one aggregation.
      EstimatePopulation.Summary summary = EstimatePopulation.summarise(EstimatePopulation.groups(
          reads.marked(modelRuns.keySet())), input(conf, null));
      Map<LocalDate, Map<String, EstimatePopulation.Counts>> counts = new TreeMap<>();
      List<Indicator> estimates = new ArrayList<>();
      for (Run run : runs.values()) {
        Map<String, EstimatePopulation.Counts> byMonth = summary.counts().getOrDefault(run.asOf(), Map.of());
        counts.put(run.asOf(), byMonth);
        long unknown = byMonth.values().stream().mapToLong(EstimatePopulation.Counts::unknown).sum();
        if (unknown > 0) {
          missing.add(String.format(Locale.ROOT, "performance estimated from the PDs as of %s: %d immature or bad "
              + "rows of scored_applications have no loan_performance row of that date, so whether their outcome "
              + "window had ended is unknown; they are left out", run.asOf(), unknown));
        }
        for (String model : models.get(run.asOf())) {
          ExpectedPerformance.Estimate e = summary.estimate(run.asOf(), model);
          long knownBad = byMonth.entrySet().stream().filter(c -> c.getKey().startsWith(model + "|"))
              .mapToLong(c -> c.getValue().knownBad()).sum();
          boolean calRed = red.contains(run.asOf() + "|" + model);
          estimates.addAll(EstimatedPerformance.estimate(e, knownBad, devAuc.get(run.asOf() + "|" + model), calRed,
              conf.monitoring(), conf.minCellCount(), run.asOf(), model, run.runId(), run.modelRunId()));
        }
      }
      Map<String, Map<String, LocalDate>> backTested = new TreeMap<>();
      for (String model : models.get(latest.asOf())) {
        backTested.put(model, backTestedMonths(model, latest, counts));
      }
      // Pass 2: the back-tested months' rows of then joined to today's labels, and the train months.
      BackTestGroups groups = BackTestGroups.collect(reads, latest, backTested, input(conf, "label_now"));
      for (String model : models.get(latest.asOf())) {
        estimates.addAll(backTest(conf, model, latest, backTested.get(model), groups,
            red.contains(latest.asOf() + "|" + model)));
      }
      out.addAll(estimates);
      charts.addAll(EstimatedPerformance.charts(estimates, conf.minCellCount()));
      devMonths.addAll(groups.trainMonths());
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
   * One model's back-tested months at the latest date, month -> the date of its estimate: each
   * application month that had applications in the population of an earlier date and has none
   * immature now (all labelled or settled), with the earliest such date.
   */
  private static Map<String, LocalDate> backTestedMonths(String model, Run latest,
      Map<LocalDate, Map<String, EstimatePopulation.Counts>> counts) {
    Map<String, EstimatePopulation.Counts> now = counts.get(latest.asOf());
    Map<String, LocalDate> then = new TreeMap<>();
    counts.forEach((date, byMonth) -> byMonth.forEach((key, c) -> {
      if (date.isBefore(latest.asOf()) && key.startsWith(model + "|") && c.open() > 0) {
        then.putIfAbsent(key.substring(model.length() + 1), date);
      }
    }));
    then.keySet().removeIf(month -> now.getOrDefault(model + "|" + month, EstimatePopulation.Counts.NONE)
        .immature() > 0);
    return then;
  }

  /**
   * One model's back-test at the latest date: each of {@link #backTestedMonths} against the
   * estimate made at its date, with that date's PDs, over that date's population that has a label
   * now (like for like: the early bads of then are bads now).
   *
   * @param groups every back-tested month's estimate then against the labels now
   */
  private static List<Indicator> backTest(CreditRiskConfig conf, String model, Run latest,
      Map<String, LocalDate> then, BackTestGroups groups, boolean calibrationRed) {
    List<EstimateBackTest.Month> auc = new ArrayList<>();
    List<EstimateBackTest.Month> badRate = new ArrayList<>();
    Set<String> small = new HashSet<>();
    for (Map.Entry<String, LocalDate> m : then.entrySet()) {
      ExpectedPerformance.Result r = groups.result(model, m.getKey());
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

  /** The reads of scored_applications and loan_performance, each at its pinned version. */
  record Reads(SparkSession spark, CreditRiskConfig conf, long scoredVersion, long performanceVersion,
      Map<LocalDate, String> modelRuns) {
    static final String[] COLUMNS = {"application_id", "application_month", "model", "pd", "status", "label",
        "split"};

    /** One date's run slice of scored_applications, the columns monitor reads. */
    Dataset<Row> slice(LocalDate asOf) {
      return WarehouseTable.SCORED_APPLICATIONS.readRun(spark, conf, scoredVersion, asOf, modelRuns.get(asOf))
          .select(COLUMNS[0], java.util.Arrays.copyOfRange(COLUMNS, 1, COLUMNS.length));
    }

    /** {@link EstimatePopulation#mark} of several dates in one scan of each table, with as_of_date. */
    Dataset<Row> marked(java.util.Collection<LocalDate> dates) {
      Map<LocalDate, String> some = new TreeMap<>(modelRuns);
      some.keySet().retainAll(dates);
      Dataset<Row> slices = WarehouseTable.SCORED_APPLICATIONS.readRuns(spark, conf, scoredVersion, some)
          .select(EstimatePopulation.AS_OF, COLUMNS);
      return EstimatePopulation.mark(slices, WarehouseTable.LOAN_PERFORMANCE.readAsOf(spark, conf,
          performanceVersion, some.keySet()));
    }
  }

  /**
   * The back-test's one join: the latest date's labelled rows (and train rows), left-joined by
   * model and application to the rows each back-tested month had in its date's population, counted
   * per model, month and PD then, with the labels now; each model and month's estimate then against
   * the labels now ("model|month" -> the result), and the months with train rows (the development
   * months). The groups are cached: brought to the driver when at most {@code in.maxGroups()}, else
   * one keyed sweep over them by model and month ({@link ExpectedPerformance#byKey}).
   */
  record BackTestGroups(Map<String, ExpectedPerformance.Result> results, List<String> trainMonths,
      ExpectedPerformance.Input in) {
    static BackTestGroups collect(Reads reads, Run latest, Map<String, Map<String, LocalDate>> then,
        ExpectedPerformance.Input in) {
      Column which = lit(false);
      java.util.Set<LocalDate> dates = new TreeSet<>();
      for (Map.Entry<String, Map<String, LocalDate>> model : then.entrySet()) {
        for (Map.Entry<String, LocalDate> m : model.getValue().entrySet()) {
          dates.add(m.getValue());
          which = which.or(col(EstimatePopulation.AS_OF).equalTo(lit(m.getValue().toString()).cast("date"))
              .and(col("model").equalTo(model.getKey())).and(col("application_month").equalTo(m.getKey())));
        }
      }
      Dataset<Row> thenRows = dates.isEmpty()
          ? reads.slice(latest.asOf()).where(lit(false)).select(col("model"), col("application_id"),
              col("pd").cast("double").as("pd_then"))
          : EstimatePopulation.of(reads.marked(dates)).where(which.and(col("pd").isNotNull()))
              .select(col("model"), col("application_id"), col("pd").cast("double").as("pd_then"));
      Column matched = col("pd_then").isNotNull().and(col("label").isNotNull());
      Dataset<Row> grouped = reads.slice(latest.asOf()).where(col("label").isNotNull()
              .or(col("split").equalTo("train")))
          .join(thenRows, CollectionConverters.asScala(List.of("model", "application_id")).toSeq(), "left")
          .groupBy("model", "application_month", "pd_then")
          .agg(sum(when(matched, 1L).otherwise(0L)).as("n"), sum(when(matched.and(col("label").equalTo(1)), 1L)
              .otherwise(0L)).as("bads"), sum(when(col("split").equalTo("train"), 1L).otherwise(0L)).as("train"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        // One partition, then the limit: one job (as ExpectedPerformance does).
        List<Row> rows = grouped.coalesce(1).limit(in.maxGroups() + 1).collectAsList();
        if (rows.size() <= in.maxGroups()) {
          return fromRows(rows, in);
        }
        Map<String, ExpectedPerformance.Result> results = new TreeMap<>();
        ExpectedPerformance.byKey(grouped.where(col("n").gt(0)).select(col("model"), col("application_month"),
            col("pd_then"), col("n"), col("n").as("labelled"), col("bads")), 2, in).results()
            .forEach((key, r) -> results.put(key.get(0) + "|" + key.get(1), r));
        List<String> train = grouped.where(col("train").gt(0)).select("application_month").distinct()
            .as(Encoders.STRING()).collectAsList();
        return new BackTestGroups(results, List.copyOf(new TreeSet<>(train)), in);
      } finally {
        grouped.unpersist();
      }
    }

    /** {@link #collect} of the groups brought to the driver. */
    private static BackTestGroups fromRows(List<Row> rows, ExpectedPerformance.Input in) {
      Map<String, TreeMap<Double, long[]>> groups = new TreeMap<>();
      Set<String> train = new TreeSet<>();
      for (Row r : rows) {
        if (r.getLong(5) > 0) {
          train.add(r.getString(1));
        }
        if (r.getLong(3) > 0) {
          groups.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new TreeMap<>())
              .put(r.getDouble(2), new long[] {r.getLong(3), r.getLong(4)});
        }
      }
      Map<String, ExpectedPerformance.Result> results = new TreeMap<>();
      groups.forEach((key, g) -> {
        double[] p = new double[g.size()];
        long[] n = new long[g.size()];
        long[] bads = new long[g.size()];
        int k = 0;
        for (Map.Entry<Double, long[]> e : g.entrySet()) {
          p[k] = e.getKey();
          n[k] = e.getValue()[0];
          bads[k++] = e.getValue()[1];
        }
        results.put(key, ExpectedPerformance.fromGroups(p, n, n, bads, in));
      });
      return new BackTestGroups(results, List.copyOf(train), in);
    }

    /** One model and month's estimate then against the labels now; that of no rows when it has none. */
    ExpectedPerformance.Result result(String model, String month) {
      ExpectedPerformance.Result r = results.get(model + "|" + month);
      return r != null ? r : ExpectedPerformance.fromGroups(new double[0], new long[0], new long[0], new long[0], in);
    }
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
