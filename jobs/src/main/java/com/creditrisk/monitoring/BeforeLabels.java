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
 * however many dates and models (issue 15, "Scale"): one aggregation of every date's population
 * per month and distinct PD, one join of the back-tested rows to today's labels; the driver does
 * the rest from their groups. Groups beyond validation.summary_max_groups take the path of one
 * estimate per date and model instead: the same answers, many more passes.
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
      int maxGroups = conf.validation().summaryMaxGroups();
      // Pass 1: every date's population, counted per month and distinct PD in one aggregation.
      Optional<EstimatePopulation.Summary> summary = EstimatePopulation.collect(EstimatePopulation.groups(
          reads.marked(modelRuns.keySet())), maxGroups);
      Map<LocalDate, Map<String, EstimatePopulation.Counts>> counts = new TreeMap<>();
      List<Indicator> estimates = new ArrayList<>();
      for (Run run : runs.values()) {
        Map<String, EstimatePopulation.Counts> byMonth = summary.isPresent()
            ? summary.get().counts().getOrDefault(run.asOf(), Map.of())
            : EstimatePopulation.counts(reads.marked(run.asOf()));
        counts.put(run.asOf(), byMonth);
        long unknown = byMonth.values().stream().mapToLong(EstimatePopulation.Counts::unknown).sum();
        if (unknown > 0) {
          missing.add(String.format(Locale.ROOT, "performance estimated from the PDs as of %s: %d immature or bad "
              + "rows of scored_applications have no loan_performance row of that date, so whether their outcome "
              + "window had ended is unknown; they are left out", run.asOf(), unknown));
        }
        for (String model : models.get(run.asOf())) {
          ExpectedPerformance.Estimate e = summary.isPresent()
              ? fromPds(summary.get().pds().getOrDefault(run.asOf(), Map.of()).getOrDefault(model, new TreeMap<>()),
                  conf)
              : ExpectedPerformance.estimate(EstimatePopulation.of(reads.marked(run.asOf()))
                  .where(col("model").equalTo(model)), input(conf, null)).all();
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
      Optional<BackTestGroups> groups = BackTestGroups.collect(reads, latest, backTested, maxGroups);
      for (String model : models.get(latest.asOf())) {
        estimates.addAll(backTest(conf, model, latest, backTested.get(model), groups, reads,
            red.contains(latest.asOf() + "|" + model)));
      }
      out.addAll(estimates);
      charts.addAll(EstimatedPerformance.charts(estimates, conf.minCellCount()));
      devMonths.addAll(groups.isPresent() ? groups.get().trainMonths() : reads.slice(latest.asOf())
          .where(col("split").equalTo("train")).select("application_month").distinct().as(Encoders.STRING())
          .collectAsList());
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
   * @param groups {@link BackTestGroups}, or empty when they were too many to bring to the driver:
   *     then each month is joined and estimated on its own ({@code reads})
   */
  private static List<Indicator> backTest(CreditRiskConfig conf, String model, Run latest,
      Map<String, LocalDate> then, Optional<BackTestGroups> groups, Reads reads, boolean calibrationRed) {
    List<EstimateBackTest.Month> auc = new ArrayList<>();
    List<EstimateBackTest.Month> badRate = new ArrayList<>();
    Set<String> small = new HashSet<>();
    for (Map.Entry<String, LocalDate> m : then.entrySet()) {
      ExpectedPerformance.Result r;
      if (groups.isPresent()) {
        r = groups.get().result(model, m.getKey(), input(conf, "label_now"));
      } else {
        Dataset<Row> labelsNow = reads.slice(latest.asOf()).where(col("model").equalTo(model)
            .and(col("label").isNotNull())).select(col("application_id"), col("label").as("label_now"));
        r = ExpectedPerformance.estimate(EstimatePopulation.of(reads.marked(m.getValue())).where(col("model")
            .equalTo(model).and(col("application_month").equalTo(m.getKey()))).select("application_id", "pd")
            .join(labelsNow, "application_id"), input(conf, "label_now"));
      }
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

  /** The estimate over a population counted per distinct PD ({@link EstimatePopulation.Summary}). */
  private static ExpectedPerformance.Estimate fromPds(TreeMap<Double, Long> pds, CreditRiskConfig conf) {
    double[] p = new double[pds.size()];
    long[] n = new long[pds.size()];
    int k = 0;
    for (Map.Entry<Double, Long> e : pds.entrySet()) {
      p[k] = e.getKey();
      n[k++] = e.getValue();
    }
    return ExpectedPerformance.fromGroups(p, n, new long[k], new long[k], input(conf, null)).all();
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

    /** {@link EstimatePopulation#mark} of one date. */
    Dataset<Row> marked(LocalDate asOf) {
      return EstimatePopulation.mark(slice(asOf), WarehouseTable.LOAN_PERFORMANCE.readAsOf(spark, conf,
          performanceVersion, asOf));
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
   * per model, month and PD then, with the labels now: (model, month, PD) -> {rows, bads}; and the
   * months with train rows (the development months).
   */
  record BackTestGroups(Map<String, TreeMap<Double, long[]>> groups, List<String> trainMonths) {
    static Optional<BackTestGroups> collect(Reads reads, Run latest, Map<String, Map<String, LocalDate>> then,
        int maxGroups) {
      if (maxGroups < 1) {
        return Optional.empty();
      }
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
          .agg(sum(when(matched, 1L).otherwise(0L)), sum(when(matched.and(col("label").equalTo(1)), 1L)
              .otherwise(0L)), sum(when(col("split").equalTo("train"), 1L).otherwise(0L)));
      List<Row> rows = grouped.coalesce(1).limit(maxGroups + 1).collectAsList();
      if (rows.size() > maxGroups) {
        return Optional.empty();
      }
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
      return Optional.of(new BackTestGroups(groups, List.copyOf(train)));
    }

    /** One model and month's estimate then against the labels now, as ExpectedPerformance gives it. */
    ExpectedPerformance.Result result(String model, String month, ExpectedPerformance.Input in) {
      TreeMap<Double, long[]> g = groups.getOrDefault(model + "|" + month, new TreeMap<>());
      double[] p = new double[g.size()];
      long[] n = new long[g.size()];
      long[] bads = new long[g.size()];
      int k = 0;
      for (Map.Entry<Double, long[]> e : g.entrySet()) {
        p[k] = e.getKey();
        n[k] = e.getValue()[0];
        bads[k++] = e.getValue()[1];
      }
      return ExpectedPerformance.fromGroups(p, n, n, bads, in);
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
