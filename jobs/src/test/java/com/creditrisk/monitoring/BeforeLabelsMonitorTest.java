package com.creditrisk.monitoring;

import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.labels.EarlyDelinquency;
import com.creditrisk.labels.LabelRules;
import com.creditrisk.metrics.ExpectedPerformance;
import com.creditrisk.validation.ValidationMetricsRows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * monitor's early warning and estimated performance on a hand-made history of two as-of dates
 * (2026-01-31 and 2026-03-31) of one scorecard run R, worked out by hand:
 *
 * <pre>
 * scored_applications      2025-10 (train)   2026-01                          2026-03
 * as of 2026-01-31         labelled          A1..A4 immature, PD .1 .2 .4 .4  -
 * as of 2026-03-31         labelled          labels 0 1 0 1 (now mature)      B1 B2 immature, PD .05 .30
 * </pre>
 *
 * Expected AUC of B1, B2: .30 x .95 / ((.35)(1.65) - (.05 x .95 + .30 x .70)) = .285 / .32 = 0.890625.
 * Expected AUC of A1..A4 with January's PDs: 1.78 / 2.46 = 0.723577 (the closed form over the distinct
 * PDs .1, .2, .4 x 2); realised now: bads A2, A4 against goods A1, A3 win 1 + 0 + 1 + 1/2 of 4 pairs
 * = 0.625; error realised - estimated = -0.098577. Bad rate: .275 estimated, .5 realised, error .225.
 * January's expected AUC is 4.16 points below the development AUC .765: amber. March's calibration
 * light (jeffreys_p) is red, so its estimate has no light. loan_performance says which windows are
 * open at each date: no application of this history is bad before its window ends (see
 * {@link #earlyBadHistory} for one that is).
 *
 * <p>Loans (one installment each, unpaid or paid on the day), early warning as of 2026-03-31, 15+ DPD
 * by MOB 1: 2025-10, the development month (train rows), 1 of 4; 2025-12, 4 of 4, whose Jeffreys
 * interval lies above .25: red; 2026-01, 2 of 4, above .25 but not significantly: amber.
 */
class BeforeLabelsMonitorTest {
  private static final String JAN = "2026-01-31";
  private static final String MAR = "2026-03-31";
  private static final String RUN = "2025-11-30-train";
  private static final StructType SCORED = schema("application_id string", "application_month string",
      "model string", "pd double", "status string", "label int", "split string", "as_of_date date",
      "model_run_id string");
  private static final StructType PERFORMANCE = schema("application_id string", "mature boolean",
      "as_of_date date");
  private static final StructType LOANS = schema("loan_id string", "application_id string", "disbursed_date date");
  private static final StructType REPS = schema("loan_id string", "installment_no int", "due_date date",
      "amount_due double", "amount_paid double", "paid_date date");

  /** The history drawn in the class comment: no application is bad before its window ends. */
  private static final Object[][] SCORED_ROWS = {
      row("T1", "2025-10", "scorecard", 0.1, "good", 0, "train", JAN, RUN),
      row("T2", "2025-10", "scorecard", 0.3, "bad", 1, "train", JAN, RUN),
      row("A1", "2026-01", "scorecard", 0.1, "immature", null, "none", JAN, RUN),
      row("A2", "2026-01", "scorecard", 0.2, "immature", null, "none", JAN, RUN),
      row("A3", "2026-01", "scorecard", 0.4, "immature", null, "none", JAN, RUN),
      row("A4", "2026-01", "scorecard", 0.4, "immature", null, "none", JAN, RUN),
      row("T1", "2025-10", "scorecard", 0.1, "good", 0, "train", MAR, RUN),
      row("T2", "2025-10", "scorecard", 0.3, "bad", 1, "train", MAR, RUN),
      // Scored again in March with other PDs: the back-test must use January's.
      row("A1", "2026-01", "scorecard", 0.5, "good", 0, "oot", MAR, RUN),
      row("A2", "2026-01", "scorecard", 0.5, "bad", 1, "oot", MAR, RUN),
      row("A3", "2026-01", "scorecard", 0.5, "good", 0, "oot", MAR, RUN),
      row("A4", "2026-01", "scorecard", 0.5, "bad", 1, "oot", MAR, RUN),
      row("B1", "2026-03", "scorecard", 0.05, "immature", null, "none", MAR, RUN),
      row("B2", "2026-03", "scorecard", 0.30, "immature", null, "none", MAR, RUN)};

  /** loan_performance's window of each application: open until the date the fixture calls it mature. */
  private static final Object[][] PERFORMANCE_ROWS = {
      row("T1", true, JAN), row("T2", true, JAN), row("A1", false, JAN), row("A2", false, JAN),
      row("A3", false, JAN), row("A4", false, JAN),
      row("T1", true, MAR), row("T2", true, MAR), row("A1", true, MAR), row("A2", true, MAR),
      row("A3", true, MAR), row("A4", true, MAR), row("B1", false, MAR), row("B2", false, MAR)};

  @TempDir
  Path tmp;

  private final SparkSession spark = TestSpark.get();

  /** Cells of one row are shown: the fixture's months have four loans each. */
  private static List<String> settings(String wh) {
    return settings(wh, 1);
  }

  private static List<String> settings(String wh, int minCells) {
    return settings(wh, minCells, List.of());
  }

  private static List<String> settings(String wh, int minCells, List<String> more) {
    List<String> out = new ArrayList<>(List.of("warehouse.path=" + wh, "inputs.loans.path=" + wh + "/in/loans",
        "inputs.repayments.path=" + wh + "/in/repayments", "privacy.min_cell_count=" + minCells));
    out.addAll(more);
    return out;
  }

  private String warehouse() {
    return warehouse(1);
  }

  private String warehouse(int minCells) {
    return warehouse(minCells, SCORED_ROWS, PERFORMANCE_ROWS);
  }

  private String warehouse(int minCells, Object[][] scored, Object[][] performance) {
    return warehouse("wh", List.of(), minCells, scored, performance);
  }

  private String warehouse(String folder, List<String> more, int minCells, Object[][] scored,
      Object[][] performance) {
    String wh = tmp.resolve(folder).toString();
    String fp = CreditRiskConfig.defaults().with(settings(wh, minCells, more)).fingerprint();
    List<Row> v = new ArrayList<>();
    for (String d : List.of(JAN, MAR)) {
      v.add(metric(d + "-" + fp, d, "auc", 0.76, null));
      v.add(metric(d + "-" + fp, d, "development_auc", 0.765, null));
      v.add(metric(d + "-" + fp, d, "jeffreys_p", d.equals(MAR) ? 0.001 : 0.4, d.equals(MAR) ? "red" : "green"));
    }
    spark.createDataFrame(v, ValidationMetricsRows.SCHEMA).write().format("delta").save(wh + "/validation_metrics");
    df(SCORED, scored).write().format("delta").partitionBy("as_of_date").save(wh + "/scored_applications");
    df(PERFORMANCE, performance).write().format("delta").save(wh + "/loan_performance");
    loans().write().format("delta").save(wh + "/in/loans");
    repayments().write().format("delta").save(wh + "/in/repayments");
    return wh;
  }

  /**
   * Another history: January's cohort C01..C10 of 2026-01, PD .2 each, has C01 and C02 already bad
   * in January, before their windows end, and C03..C10 immature; by March every window has ended:
   * the two bads and eight goods, a realised bad rate of .2. T2 went bad before January and its
   * window had ended then: it belongs to no estimate. Returns the scored rows and loan_performance's.
   */
  private static Object[][][] earlyBadHistory() {
    List<Object[]> scored = new ArrayList<>();
    List<Object[]> performance = new ArrayList<>();
    for (String d : List.of(JAN, MAR)) {
      boolean jan = d.equals(JAN);
      scored.add(row("T1", "2025-10", "scorecard", 0.1, "good", 0, "train", d, RUN));
      scored.add(row("T2", "2025-10", "scorecard", 0.3, "bad", 1, "train", d, RUN));
      performance.add(row("T1", true, d));
      performance.add(row("T2", true, d));
      for (int k = 1; k <= 10; k++) {
        String id = String.format(java.util.Locale.ROOT, "C%02d", k);
        boolean earlyBad = k <= 2;
        scored.add(row(id, "2026-01", "scorecard", 0.2, earlyBad ? "bad" : jan ? "immature" : "good",
            earlyBad ? Integer.valueOf(1) : jan ? null : Integer.valueOf(0), jan ? null : "oot", d, RUN));
        performance.add(row(id, !jan, d));
      }
    }
    return new Object[][][] {scored.toArray(Object[][]::new), performance.toArray(Object[][]::new)};
  }

  private static Row metric(String run, String asOf, String metric, double value, String light) {
    return RowFactory.create(run, Date.valueOf(asOf), RUN, "scorecard", "all", metric, value, light);
  }

  /** Per month, 4 loans disbursed on the 5th; the first {@code unpaid} never pay their one installment. */
  private static final Map<String, Integer> UNPAID = Map.of("2025-10", 1, "2025-12", 4, "2026-01", 2);

  private Dataset<Row> loans() {
    List<Object[]> rows = new ArrayList<>();
    UNPAID.keySet().forEach(m -> {
      for (int k = 1; k <= 4; k++) {
        rows.add(row(m + "-" + k, "app-" + m + "-" + k, m + "-05"));
      }
    });
    return df(LOANS, rows.toArray(Object[][]::new));
  }

  private Dataset<Row> repayments() {
    List<Object[]> rows = new ArrayList<>();
    UNPAID.forEach((m, unpaid) -> {
      String due = LocalDate.parse(m + "-05").plusMonths(1).toString();
      for (int k = 1; k <= 4; k++) {
        rows.add(k <= unpaid ? row(m + "-" + k, 1, due, 100.0, 0.0, null)
            : row(m + "-" + k, 1, due, 100.0, 100.0, due));
      }
    });
    return df(REPS, rows.toArray(Object[][]::new));
  }

  private static int monitor(String wh, StringWriter err) {
    return monitor(wh, 1, err);
  }

  private static int monitor(String wh, int minCells, StringWriter err) {
    return monitor(wh, minCells, List.of(), err);
  }

  private static int monitor(String wh, int minCells, List<String> more, StringWriter err) {
    List<String> args = new ArrayList<>(List.of("monitor"));
    settings(wh, minCells, more).forEach(s -> args.addAll(List.of("--set", s)));
    return CreditRisk.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
  }

  /** "as-of model segment indicator" -> the row. */
  private Map<String, Row> table(String wh) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(wh + "/monitoring_metrics").collectAsList()) {
      out.put(r.getAs("as_of_date") + " " + r.getAs("model") + " " + r.getAs("segment") + " "
          + r.getAs("indicator"), r);
    }
    return out;
  }

  private static double value(Map<String, Row> t, String key) {
    Row r = t.get(key);
    assertTrue(r != null, "no row " + key + " in " + t.keySet());
    return r.<Double>getAs("value");
  }

  @Test
  void earlyWarningRowsAreEarlyDelinquencyOfTheInputsAndTheBadMonthIsRed() throws Exception {
    String wh = warehouse();
    StringWriter err = new StringWriter();
    assertEquals(0, monitor(wh, err), err.toString());
    Map<String, Row> t = table(wh);

    List<EarlyDelinquency.Indicator> inds = List.of(new EarlyDelinquency.Indicator(15, 1),
        new EarlyDelinquency.Indicator(30, 2), new EarlyDelinquency.Indicator(30, 3));
    CreditRiskConfig conf = CreditRiskConfig.defaults().with(settings(wh));
    List<EarlyDelinquency.Comparison> direct = EarlyDelinquency.compare(EarlyDelinquency.compute(loans(),
        repayments(), LabelRules.from(conf, LocalDate.parse(MAR)), inds), Set.of("2025-10"), 0.95);
    int compared = 0;
    for (EarlyDelinquency.Comparison c : direct) {
      if (c.n() == 0) {
        continue;
      }
      Row r = t.get(MAR + " portfolio disbursement_month=" + c.month() + " early_" + c.indicator().id());
      assertTrue(r != null, c.toString());
      assertEquals(c.rate(), r.<Double>getAs("value"), 1e-15);
      assertEquals(c.low(), r.<Double>getAs("low"), 1e-15);
      assertEquals(c.high(), r.<Double>getAs("high"), 1e-15);
      assertEquals(c.devRate(), r.<Double>getAs("reference"), 1e-15);
      compared++;
    }
    assertEquals(t.keySet().stream().filter(k -> k.contains(" early_")).count(), compared);
    String d15 = MAR + " portfolio disbursement_month=";
    assertEquals(0.25, value(t, d15 + "2025-10 early_dpd15_mob1"), 1e-15);
    assertNull(t.get(d15 + "2025-10 early_dpd15_mob1").getAs("light"), "the development month is the baseline");
    assertEquals(1.0, value(t, d15 + "2025-12 early_dpd15_mob1"), 1e-15);
    assertEquals("red", t.get(d15 + "2025-12 early_dpd15_mob1").getAs("light"));
    assertEquals(0.5, value(t, d15 + "2026-01 early_dpd15_mob1"), 1e-15);
    assertEquals("amber", t.get(d15 + "2026-01 early_dpd15_mob1").getAs("light"));

    JsonNode json = new ObjectMapper().readTree(Path.of(wh, "monitoring", MAR, "monitoring.json").toFile());
    assertEquals("red", json.get("verdict").asText());
    assertTrue(json.get("verdict_reason").asText().contains("red: portfolio disbursement_month=2025-12 "
        + "early_dpd15_mob1 1.0000"), json.get("verdict_reason").asText());
    assertEquals(0, json.at("/input_versions/loans/delta_version").asLong(), json.toString());
    assertEquals(0, json.at("/input_versions/repayments/delta_version").asLong());
    assertEquals(0, json.at("/input_versions/scored_applications").asLong());
    assertTrue(json.at("/input_versions/loan_performance").isNumber(), json.toString());
    String html = Files.readString(Path.of(wh, "monitoring", MAR, "report.html"));
    assertTrue(html.contains("Early warning as of 2026-03-31, by disbursement month: ever 15+ DPD by MOB 1"), html);
    assertTrue(html.contains("back-test by application month"), html);
  }

  @Test
  void estimatedAucIsExpectedPerformanceOfTheImmatureRowsAndTheBackTestErrorIsRealisedMinusEstimated()
      throws Exception {
    String wh = warehouse();
    StringWriter err = new StringWriter();
    assertEquals(0, monitor(wh, err), err.toString());
    Map<String, Row> t = table(wh);

    double march = ExpectedPerformance.fromCounts(new double[] {0.05, 0.30}, new long[] {1, 1}).auc();
    assertEquals(0.890625, march, 1e-12);
    assertEquals(march, value(t, MAR + " scorecard immature expected_auc"), 1e-15);
    assertNull(t.get(MAR + " scorecard immature expected_auc").getAs("light"), "calibration red: no light");
    assertEquals(0.175, value(t, MAR + " scorecard immature expected_bad_rate"), 1e-15);
    ExpectedPerformance.Estimate jan = ExpectedPerformance.fromCounts(new double[] {0.1, 0.2, 0.4},
        new long[] {1, 1, 2});
    assertEquals(1.78 / 2.46, jan.auc(), 1e-12);
    assertEquals(jan.auc(), value(t, JAN + " scorecard immature expected_auc"), 1e-15);
    assertEquals(jan.auc() - 1.959963984540054 * jan.aucSe(),
        t.get(JAN + " scorecard immature expected_auc").<Double>getAs("low"), 1e-15);
    assertEquals(0.765, t.get(JAN + " scorecard immature expected_auc").<Double>getAs("reference"));
    assertEquals("amber", t.get(JAN + " scorecard immature expected_auc").getAs("light"), "4.16 points below .765");

    String month = MAR + " scorecard application_month=2026-01 ";
    assertEquals(1.78 / 2.46, value(t, month + "backtest_expected_auc"), 1e-12);
    assertEquals(0.625, t.get(month + "backtest_expected_auc").<Double>getAs("reference"), 1e-12);
    assertEquals(0.625 - 1.78 / 2.46, value(t, month + "backtest_auc_error"), 1e-12);
    assertEquals(0.275, value(t, month + "backtest_expected_bad_rate"), 1e-12);
    assertEquals(0.225, value(t, month + "backtest_bad_rate_error"), 1e-12);
    assertEquals(Math.abs(0.625 - 1.78 / 2.46), value(t, MAR + " scorecard all backtest_auc_mean_abs_error"),
        1e-12);
    assertTrue(t.get(month + "backtest_expected_auc").<String>getAs("light") == null);
    assertTrue(t.keySet().stream().noneMatch(k -> k.contains("application_month=2025-10")),
        "the train month was never immature in the range: no estimate made then");
    JsonNode json = new ObjectMapper().readTree(Path.of(wh, "monitoring", MAR, "monitoring.json").toFile());
    boolean untrusted = false;
    for (JsonNode i : json.get("indicators")) {
      untrusted |= i.get("indicator").asText().equals("backtest_expected_auc")
          && i.get("rule").asText().startsWith("estimate cannot be trusted");
    }
    assertTrue(untrusted, "March's calibration is red: the back-test says its estimate cannot be trusted");
  }

  @Test
  void theEstimateCoversTheEarlyBadsOfItsOpenWindowsAndIsBackTestedOnTheWholeCohort() throws Exception {
    Object[][][] history = earlyBadHistory();
    String wh = warehouse(1, history[0], history[1]);
    StringWriter err = new StringWriter();
    assertEquals(0, monitor(wh, err), err.toString());
    Map<String, Row> t = table(wh);

    // Over the ten, not the eight still immature, and not T2: mean PD .2, SE sqrt(10 x .2 x .8) / 10.
    String jan = JAN + " scorecard immature ";
    assertEquals(0.2, value(t, jan + "expected_bad_rate"), 1e-15);
    assertEquals(0.2 - 1.959963984540054 * Math.sqrt(1.6) / 10, t.get(jan + "expected_bad_rate")
        .<Double>getAs("low"), 1e-15);
    assertEquals(0.5, value(t, jan + "expected_auc"), 1e-15);
    assertEquals(2.0, value(t, jan + "known_bad"), 0.0, "C01 and C02 were already bad in January");
    // The eight immature alone would realise 0 of their .2: an error of -.2 where there is none.
    String month = MAR + " scorecard application_month=2026-01 ";
    assertEquals(0.2, value(t, month + "backtest_expected_bad_rate"), 1e-15);
    assertEquals(0.2, t.get(month + "backtest_expected_bad_rate").<Double>getAs("reference"), 1e-15);
    assertEquals(0.0, value(t, month + "backtest_bad_rate_error"), 1e-15);
    assertEquals(0.0, value(t, month + "backtest_auc_error"), 1e-15);
    assertNull(t.get(MAR + " scorecard immature expected_bad_rate"), "no window is open in March");
  }

  /**
   * The estimates and the back-test come from two passes over scored_applications and
   * loan_performance, whatever the number of dates and models: one aggregation of every date's
   * population, one join of the back-tested rows to today's labels (which also gives the
   * development months). Counted as the scans of each table in the executed plans.
   */
  @Test
  void theEstimatesAndTheBackTestReadScoredApplicationsAndLoanPerformanceInTwoPasses() throws Exception {
    String wh = warehouse();
    StringWriter err = new StringWriter();
    Map<String, Integer> scans = scans(() -> assertEquals(0, monitor(wh, err), err.toString()));
    // scored_applications: every date's population (1), the then-rows and the labels now of the join (2).
    assertEquals(TWO_PASSES, scans);
  }

  /** The scans of {@link #theEstimatesAndTheBackTestReadScoredApplicationsAndLoanPerformanceInTwoPasses}. */
  private static final Map<String, Integer> TWO_PASSES = Map.of("scored_applications", 3, "loan_performance", 2);

  /**
   * The file scans of scored_applications and loan_performance in the plans that {@code run}
   * executes; the plan of a cached Dataset is counted once, however many queries read the cache.
   */
  private Map<String, Integer> scans(Runnable run) throws Exception {
    Map<String, Integer> scans = new java.util.concurrent.ConcurrentSkipListMap<>();
    Set<Object> caches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    QueryExecutionListener listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        scans(qe.executedPlan(), scans, caches);
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    };
    spark.listenerManager().register(listener);
    try {
      run.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(listener);
    }
    return scans;
  }

  /** Adds the file scans of each monitored table in {@code plan} (adaptive stages and caches included) to {@code out}. */
  private static void scans(SparkPlan plan, Map<String, Integer> out, Set<Object> caches) {
    if (plan instanceof AdaptiveSparkPlanExec a) {
      scans(a.executedPlan(), out, caches);
    } else if (plan instanceof QueryStageExec q) {
      scans(q.plan(), out, caches);
    } else if (plan instanceof InMemoryTableScanExec m) {
      if (caches.add(m.relation().cacheBuilder())) {
        scans(m.relation().cacheBuilder().cachedPlan(), out, caches);
      }
    } else if (plan instanceof FileSourceScanExec f) {
      for (org.apache.hadoop.fs.Path p : CollectionConverters.asJava(f.relation().location().rootPaths())) {
        for (String table : List.of("scored_applications", "loan_performance")) {
          if (p.getName().equals(table)) {
            out.merge(table, 1, Integer::sum);
          }
        }
      }
    } else {
      CollectionConverters.asJava(plan.children()).forEach(c -> scans(c, out, caches));
    }
  }

  /**
   * With validation.summary_max_groups below the groups of the two passes, each pass's estimates
   * run as one keyed sweep over its cached groups, on the cluster: every row of monitoring_metrics
   * is the same, every column to the last digit, and the tables are read in the same two passes.
   */
  @Test
  void beyondTheGroupBoundOneKeyedSweepPerPassGivesTheSameRowsFromTheSameTwoPasses() throws Exception {
    Object[][][] history = earlyBadHistory();
    Object[][] scored = java.util.stream.Stream.concat(java.util.Arrays.stream(SCORED_ROWS),
        java.util.Arrays.stream(history[0]).filter(r -> ((String) r[0]).startsWith("C"))).toArray(Object[][]::new);
    Object[][] performance = java.util.stream.Stream.concat(java.util.Arrays.stream(PERFORMANCE_ROWS),
        java.util.Arrays.stream(history[1]).filter(r -> ((String) r[0]).startsWith("C"))).toArray(Object[][]::new);
    List<String> small = List.of("validation.summary_max_groups=1");
    String two = warehouse("two", List.of(), 1, scored, performance);
    String each = warehouse("each", small, 1, scored, performance);
    StringWriter err = new StringWriter();
    assertEquals(0, monitor(two, 1, List.of(), err), err.toString());
    assertEquals(TWO_PASSES, scans(() -> assertEquals(0, monitor(each, 1, small, err), err.toString())));
    Map<String, Row> a = table(two);
    Map<String, Row> b = table(each);
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.keySet().stream().anyMatch(k -> k.contains("backtest_expected_auc")), a.keySet().toString());
    for (String k : a.keySet()) {
      for (String c : List.of("value", "low", "high", "reference", "light")) {
        assertEquals((Object) a.get(k).getAs(c), b.get(k).getAs(c), k + " " + c);
      }
    }
  }

  @Test
  void monthsOfFewerLoansThanTheMinimumCellAreKeptInTheTableButNeitherLitNorShown() throws Exception {
    String wh = warehouse(10);
    StringWriter err = new StringWriter();
    assertEquals(0, monitor(wh, 10, err), err.toString());
    Map<String, Row> t = table(wh);
    Row december = t.get(MAR + " portfolio disbursement_month=2025-12 early_dpd15_mob1");
    assertEquals(1.0, december.<Double>getAs("value"), 1e-15);
    assertNull(december.getAs("light"), "4 loans < 10: not judged");
    assertNull(t.get(JAN + " scorecard immature expected_auc").getAs("light"), "4 rows < 10: not judged");
    JsonNode json = new ObjectMapper().readTree(Path.of(wh, "monitoring", MAR, "monitoring.json").toFile());
    assertEquals("green", json.get("verdict").asText(), json.get("verdict_reason").asText());
    String html = Files.readString(Path.of(wh, "monitoring", MAR, "report.html"));
    assertTrue(!html.contains("Early warning as of") && !html.contains("back-test by application month")
        && !html.contains("expected AUC from the PDs"), "no chart of a small cell");
  }
}
