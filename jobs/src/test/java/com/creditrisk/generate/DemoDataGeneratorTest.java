package com.creditrisk.generate;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.generate.DemoDataGenerator.DemoData;
import com.creditrisk.contract.ColumnSpec;
import com.creditrisk.contract.InputTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo data keeps the input contract, is the same under any partitioning, and carries the
 * risk structure the demo is meant to show.
 */
class DemoDataGeneratorTest {

  private static final GeneratorParams PARAMS = GeneratorParams.defaults(2000);

  private static SparkSession spark;
  private static DemoData data;

  @BeforeAll
  static void generateOnce() {
    spark = TestSpark.get();
    data = materialize(DemoDataGenerator.generate(spark, PARAMS));
    printSummary();
  }

  @Test
  void tablesHaveTheContractColumnsInOrderWithTheirTypes() {
    for (InputTable t : InputTable.values()) {
      List<String> expected = new ArrayList<>();
      for (ColumnSpec c : t.columns()) {
        expected.add(c.name() + ":" + c.type().label());
      }
      List<String> actual = new ArrayList<>();
      for (StructField f : table(data, t).schema().fields()) {
        actual.add(f.name() + ":" + f.dataType().simpleString());
      }
      assertEquals(expected, actual, t.tableName());
    }
  }

  @Test
  void contractRulesHoldOnTheOutput() {
    Map<String, Long> violations = contractViolations(data, PARAMS.extractDate());
    violations.values().removeIf(v -> v == 0L);
    assertTrue(violations.isEmpty(), "contract violations: " + violations);
  }

  @Test
  void contractRulesHoldForAMidMonthExtractAndShortHistory() {
    GeneratorParams p = new GeneratorParams(400, 11, LocalDate.of(2024, 2, 14), 6);
    DemoData small = materialize(DemoDataGenerator.generate(spark, p));
    Map<String, Long> violations = contractViolations(small, p.extractDate());
    violations.values().removeIf(v -> v == 0L);
    assertTrue(violations.isEmpty(), "contract violations: " + violations);
    assertTrue(small.loans().count() > 0);
  }

  @Test
  void sameParamsGiveIdenticalTablesWhateverThePartitioning() {
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    DemoData a;
    DemoData b;
    try {
      spark.conf().set("spark.sql.shuffle.partitions", "2");
      a = materialize(DemoDataGenerator.generate(spark, PARAMS, 1));
      spark.conf().set("spark.sql.shuffle.partitions", "7");
      b = materialize(DemoDataGenerator.generate(spark, PARAMS, 5));
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
    for (InputTable t : InputTable.values()) {
      Dataset<Row> x = table(a, t);
      Dataset<Row> y = table(b, t);
      assertEquals(x.count(), y.count(), t.tableName() + " rows");
      assertEquals(0, x.exceptAll(y).count(), t.tableName() + " rows only in the first run");
      assertEquals(0, y.exceptAll(x).count(), t.tableName() + " rows only in the second run");
    }
  }

  @Test
  void anotherSeedGivesOtherData() {
    GeneratorParams other = new GeneratorParams(PARAMS.customers(), 8, PARAMS.extractDate(),
        PARAMS.historyMonths());
    Dataset<Row> x = DemoDataGenerator.generate(spark, other).scoreSnapshots();
    assertNotEquals(0, x.exceptAll(data.scoreSnapshots()).count());
  }

  @Test
  void matureBadRateIsPlausibleAndFallsAcrossScoreQuintiles() {
    // The customers' own applications: the partner campaign's loans are all from the middle band
    // and riskier at the same score by their channel, a mix that is not the score's ranking.
    Dataset<Row> labelled = matureLabels(data, PARAMS.extractDate())
        .join(data.applications().select("application_id", "decision_score"), "application_id")
        .filter(col("decision_score").isNotNull())
        .filter(substring(col("application_id"), 9, 2).cast("int").lt(DemoDataGenerator.CAMPAIGN_FIRST_APP))
        .withColumn("quintile", ntile(5).over(
            Window.orderBy(col("decision_score"), col("application_id"))));
    double overall = labelled.agg(avg("bad")).first().getDouble(0);
    assertTrue(overall > 0.05 && overall < 0.20, "mature bad rate " + overall);

    List<Row> byQuintile = labelled.groupBy("quintile").agg(avg("bad").as("bad_rate"))
        .orderBy("quintile").collectAsList();
    assertEquals(5, byQuintile.size());
    double first = byQuintile.get(0).getDouble(1);
    double last = byQuintile.get(4).getDouble(1);
    assertTrue(first > 2 * last, "bad rate by quintile " + byQuintile);
    for (int i = 1; i < 5; i++) {
      assertTrue(byQuintile.get(i).getDouble(1) < byQuintile.get(i - 1).getDouble(1),
          "bad rate must fall from quintile to quintile: " + byQuintile);
    }
  }

  /**
   * The partner campaign (docs/generator.md): its applications lie in its months only, are the
   * partner's installment loans, grow from its first month to its last, and leave the recent
   * applicants' scores less spread out than those of the months before it.
   */
  @Test
  void partnerCampaignGrowsOverItsMonthsAndNarrowsTheScoresOfRecentApplicants() {
    LocalDate start = PARAMS.extractDate().withDayOfMonth(1).minusMonths(DemoDataGenerator.CAMPAIGN_MONTHS - 1L);
    Dataset<Row> apps = data.applications()
        .withColumn("campaign", substring(col("application_id"), 9, 2).cast("int")
            .geq(DemoDataGenerator.CAMPAIGN_FIRST_APP))
        .withColumn("month", date_format(col("application_time"), "yyyy-MM"));
    Row c = apps.filter(col("campaign")).agg(count(lit(1)), min(to_date(col("application_time"))),
        sum(when(col("product").equalTo(DemoDataGenerator.CAMPAIGN_PRODUCT)
            .and(col("channel").equalTo("partner")), 0).otherwise(1))).first();
    assertTrue(c.getLong(0) > 0, "campaign applications " + c);
    assertTrue(!c.getDate(1).toLocalDate().isBefore(start), "first campaign application " + c);
    assertEquals(0, c.getLong(2), "campaign applications that are not the partner's installment loans");

    String firstMonth = start.toString().substring(0, 7);
    String lastMonth = PARAMS.extractDate().toString().substring(0, 7);
    long inFirst = apps.filter(col("campaign").and(col("month").equalTo(firstMonth))).count();
    long inLast = apps.filter(col("campaign").and(col("month").equalTo(lastMonth))).count();
    // Its reach grows eightfold from the first month to the last; a factor 3 leaves room for chance.
    assertTrue(inLast > 3 * inFirst, "campaign applications " + firstMonth + ": " + inFirst + ", " + lastMonth + ": " + inLast);

    Column months3Before = col("application_time").geq(lit(start.minusMonths(3)))
        .and(col("application_time").lt(lit(start)));
    Column last3 = col("application_time").geq(lit(PARAMS.extractDate().withDayOfMonth(1).minusMonths(2)));
    Row spread = apps.agg(stddev_samp(when(months3Before, col("decision_score"))),
        stddev_samp(when(last3, col("decision_score")))).first();
    assertTrue(spread.getDouble(1) < spread.getDouble(0),
        "decision_score sd, 3 months before the campaign vs its last 3: " + spread);
  }

  @Test
  void historicalPolicyRejectsSomeAndMakesFewExceptions() {
    Row r = data.applications().agg(
        avg(when(col("decision").equalTo("rejected"), 1.0).otherwise(0.0)),
        avg(when(col("decision_score").lt(DemoDataGenerator.POLICY_CUTOFF),
            when(col("decision").equalTo("approved"), 1.0).otherwise(0.0))),
        avg(when(col("decision_score").geq(DemoDataGenerator.POLICY_CUTOFF),
            when(col("decision").equalTo("rejected"), 1.0).otherwise(0.0))),
        avg(when(col("decision").equalTo("approved"),
            when(col("loan_id").isNull(), 1.0).otherwise(0.0))))
        .first();
    assertTrue(r.getDouble(0) > 0.05 && r.getDouble(0) < 0.5, "rejected share " + r);
    assertTrue(r.getDouble(1) > 0 && r.getDouble(1) < 0.08, "approved below cutoff " + r);
    assertTrue(r.getDouble(2) > 0 && r.getDouble(2) < 0.08, "rejected above cutoff " + r);
    assertTrue(r.getDouble(3) > 0 && r.getDouble(3) < 0.06, "approved, not disbursed " + r);
  }

  @Test
  void someApplicationsHaveNoStaleOrOnlyLaterScore() {
    Row r = missingScoreCounts().first();
    assertTrue(r.getLong(0) > 0, "no snapshot at all: " + r);
    assertTrue(r.getLong(1) > 0, "only snapshots after the application: " + r);
    assertTrue(r.getLong(2) > 0, "stale snapshot: " + r);
  }

  @Test
  void volumesFollowTheModel() {
    double customers = data.scoreSnapshots().select("customer_id")
        .union(data.applications().select("customer_id")).distinct().count();
    assertEquals(PARAMS.customers(), (long) customers);
    double apps = data.applications().count();
    double snapshots = data.scoreSnapshots().count();
    // 1.22 a customer of their own, and the partner campaign adds about 0.25.
    assertTrue(apps / customers >= 1.3 && apps / customers <= 1.6, "apps per customer " + apps / customers);
    assertTrue(snapshots / apps >= 9 && snapshots / apps <= 15, "snapshots per application");
    long repeatBorrowers = data.applications().groupBy("customer_id").count()
        .filter(col("count").gt(1)).count();
    assertTrue(repeatBorrowers > 0);
  }

  @Test
  void loansRunningAtTheExtractDateExistWithUnpaidFutureInstallments() {
    Column x = lit(PARAMS.extractDate());
    long running = data.repayments().filter(col("due_date").gt(x))
        .select("loan_id").distinct().count();
    assertTrue(running > 0);
    long futureUnpaid = data.repayments()
        .filter(col("due_date").gt(x).and(col("amount_paid").equalTo(0.0))
            .and(col("paid_date").isNull()))
        .count();
    assertTrue(futureUnpaid > 0);
  }

  @Test
  void repaymentBehaviourHasLateEarlyAndPartialPayments() {
    Row r = data.repayments().agg(
        sum(when(datediff(col("paid_date"), col("due_date")).gt(0)
            .and(col("amount_paid").geq(col("amount_due"))), 1).otherwise(0)),
        sum(when(datediff(col("paid_date"), col("due_date")).lt(-2), 1).otherwise(0)),
        sum(when(col("amount_paid").gt(0).and(col("amount_paid").lt(col("amount_due"))), 1)
            .otherwise(0)))
        .first();
    assertTrue(r.getLong(0) > 0, "late payments " + r);
    assertTrue(r.getLong(1) > 0, "early payments " + r);
    assertTrue(r.getLong(2) > 0, "partial payments " + r);
  }

  @Test
  void chargeOffsFollowTheFirstMissedInstallmentAndRestructuresAreRare() {
    Dataset<Row> events = data.loanEvents();
    long chargeOffs = events.filter(col("event_type").equalTo("charge_off")).count();
    long restructures = events.filter(col("event_type").equalTo("restructure")).count();
    assertTrue(chargeOffs > 0);
    assertTrue(restructures > 0 && restructures < chargeOffs);
    // 120 days after the first missed due date, the installment is still not fully paid.
    Dataset<Row> firstUnpaid = data.repayments()
        .filter(col("amount_paid").lt(col("amount_due")))
        .groupBy("loan_id").agg(min("due_date").as("first_unpaid_due"));
    long off = events.filter(col("event_type").equalTo("charge_off"))
        .join(firstUnpaid, "loan_id")
        .filter(datediff(col("event_date"), col("first_unpaid_due")).notEqual(120))
        .count();
    assertEquals(0, off);
  }

  @Test
  void paramsAreValidatedAndHaveDefaults() {
    GeneratorParams d = GeneratorParams.defaults(10);
    assertEquals(7, d.seed());
    assertEquals(LocalDate.of(2025, 12, 31), d.extractDate());
    assertEquals(24, d.historyMonths());
    assertThrows(IllegalArgumentException.class, () -> GeneratorParams.defaults(0));
    assertThrows(IllegalArgumentException.class,
        () -> new GeneratorParams(10, 7, LocalDate.of(2025, 1, 1), 5));
    assertThrows(IllegalArgumentException.class,
        () -> new GeneratorParams(10, 7, LocalDate.of(2025, 1, 1), 121));
    assertThrows(NullPointerException.class, () -> new GeneratorParams(10, 7, null, 24));
    // Dates whose history or schedules would leave four-digit years (0001-06-30 gave year -0001).
    assertThrows(IllegalArgumentException.class, () -> new GeneratorParams(10, 7, LocalDate.of(1, 6, 30), 24));
    assertThrows(IllegalArgumentException.class, () -> new GeneratorParams(10, 7, LocalDate.of(9999, 12, 31), 24));
    assertEquals(LocalDate.of(1900, 1, 1), new GeneratorParams(10, 7, LocalDate.of(1900, 1, 1), 24).extractDate());
    DemoData lazy = DemoDataGenerator.generate(spark, d);
    assertEquals(d.extractDate(), lazy.extractDate());
    assertEquals(d.extractDate(), lazy.suggestedAsOf());
  }

  // ---------------------------------------------------------------------------------------------

  private static DemoData materialize(DemoData d) {
    return new DemoData(
        d.scoreSnapshots().localCheckpoint(),
        d.applications().localCheckpoint(),
        d.loans().localCheckpoint(),
        d.repayments().localCheckpoint(),
        d.loanEvents().localCheckpoint(),
        d.featureSources(),
        d.extractDate(),
        d.suggestedAsOf());
  }

  private static Dataset<Row> table(DemoData d, InputTable t) {
    return switch (t) {
      case SCORE_SNAPSHOTS -> d.scoreSnapshots();
      case APPLICATIONS -> d.applications();
      case LOANS -> d.loans();
      case REPAYMENTS -> d.repayments();
      case LOAN_EVENTS -> d.loanEvents();
    };
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** Every rule of the input contract as a count of the rows that break it. */
  private static Map<String, Long> contractViolations(DemoData d, LocalDate extract) {
    Column x = lit(extract);
    Map<String, Long> v = new LinkedHashMap<>();

    Dataset<Row> s = d.scoreSnapshots();
    Row sr = s.agg(
        countIf(col("customer_id").isNull()),
        countIf(col("score_time").isNull()),
        countIf(col("score").isNull().or(col("score").lt(350)).or(col("score").gt(950))),
        countIf(to_date(col("score_time")).gt(x))).first();
    v.put("score_snapshots.customer_id null", sr.getLong(0));
    v.put("score_snapshots.score_time null", sr.getLong(1));
    v.put("score_snapshots.score null or out of range", sr.getLong(2));
    v.put("score_snapshots.score_time after extract", sr.getLong(3));
    v.put("score_snapshots (customer_id, score_time) duplicate", duplicates(s, "customer_id",
        "score_time"));

    Dataset<Row> a = d.applications();
    Row ar = a.agg(
        countIf(col("application_id").isNull()),
        countIf(col("customer_id").isNull()),
        countIf(col("application_time").isNull().or(to_date(col("application_time")).gt(x))),
        countIf(col("requested_amount").isNull().or(col("requested_amount").leq(0))),
        countIf(col("term_months").isNull().or(col("term_months").leq(0))),
        countIf(col("decision").isNull().or(col("decision").isin("approved", "rejected").equalTo(false))),
        countIf(col("loan_id").isNotNull().and(col("decision").notEqual("approved"))),
        countIf(col("decision_score").lt(350).or(col("decision_score").gt(950))),
        countIf(col("product").isin("paylater", "cash_loan", "installment").equalTo(false)
            .or(col("channel").isin("app", "web", "partner").equalTo(false))),
        countIf(col("term_months").isin(3, 6, 9, 12).equalTo(false))).first();
    v.put("applications.application_id null", ar.getLong(0));
    v.put("applications.customer_id null", ar.getLong(1));
    v.put("applications.application_time null or after extract", ar.getLong(2));
    v.put("applications.requested_amount not > 0", ar.getLong(3));
    v.put("applications.term_months not > 0", ar.getLong(4));
    v.put("applications.decision not approved|rejected", ar.getLong(5));
    v.put("applications.loan_id set when not approved", ar.getLong(6));
    v.put("applications.decision_score out of range", ar.getLong(7));
    v.put("applications product or channel unknown", ar.getLong(8));
    v.put("applications term not in 3/6/9/12", ar.getLong(9));
    v.put("applications.application_id duplicate", duplicates(a, "application_id"));
    v.put("applications.loan_id duplicate", duplicates(a.filter(col("loan_id").isNotNull()),
        "loan_id"));
    // The decision system logged the latest snapshot strictly before the application.
    Dataset<Row> seen = a.select("application_id", "customer_id", "application_time")
        .join(s.select("customer_id", "score_time", "score"), "customer_id")
        .filter(col("score_time").lt(col("application_time")))
        .groupBy("application_id").agg(max_by(col("score"), col("score_time")).as("seen"));
    v.put("applications.decision_score not the latest earlier snapshot",
        a.join(seen, new String[] {"application_id"}, "left")
            .filter(col("seen").eqNullSafe(col("decision_score")).equalTo(false)).count());

    Dataset<Row> l = d.loans();
    Row lr = l.agg(
        countIf(col("loan_id").isNull()),
        countIf(col("application_id").isNull()),
        countIf(col("disbursed_date").isNull().or(col("disbursed_date").gt(x))),
        countIf(col("principal").isNull().or(col("principal").leq(0))),
        countIf(col("annual_rate").isNull().or(col("annual_rate").lt(0))),
        countIf(col("term_months").isNull().or(col("term_months").leq(0)))).first();
    v.put("loans.loan_id null", lr.getLong(0));
    v.put("loans.application_id null", lr.getLong(1));
    v.put("loans.disbursed_date null or after extract", lr.getLong(2));
    v.put("loans.principal not > 0", lr.getLong(3));
    v.put("loans.annual_rate < 0", lr.getLong(4));
    v.put("loans.term_months not > 0", lr.getLong(5));
    v.put("loans.loan_id duplicate", duplicates(l, "loan_id"));
    Dataset<Row> approvedWithLoan = a.filter(col("decision").equalTo("approved"))
        .select(col("application_id"), col("loan_id"));
    v.put("loans not of an approved application with that loan_id",
        l.join(approvedWithLoan, new String[] {"application_id", "loan_id"}, "left_anti").count());
    v.put("applications.loan_id without a loan",
        a.filter(col("loan_id").isNotNull()).join(l, new String[] {"loan_id"}, "left_anti").count());
    v.put("loans disbursed before the application",
        l.join(a.select("application_id", "application_time"), "application_id")
            .filter(col("disbursed_date").lt(to_date(col("application_time")))).count());

    Dataset<Row> r = d.repayments();
    Row rr = r.agg(
        countIf(col("loan_id").isNull()),
        countIf(col("installment_no").isNull().or(col("installment_no").lt(1))),
        countIf(col("due_date").isNull()),
        countIf(col("amount_due").isNull().or(col("amount_due").lt(0))),
        countIf(col("amount_paid").isNull().or(col("amount_paid").lt(0))),
        countIf(col("paid_date").gt(x)),
        countIf(col("amount_paid").gt(0).and(col("paid_date").isNull())
            .or(col("amount_paid").equalTo(0).and(col("paid_date").isNotNull()))),
        countIf(col("amount_paid").gt(col("amount_due").plus(0.005)))).first();
    v.put("repayments.loan_id null", rr.getLong(0));
    v.put("repayments.installment_no not >= 1", rr.getLong(1));
    v.put("repayments.due_date null", rr.getLong(2));
    v.put("repayments.amount_due not >= 0", rr.getLong(3));
    v.put("repayments.amount_paid not >= 0", rr.getLong(4));
    v.put("repayments.paid_date after extract", rr.getLong(5));
    v.put("repayments paid amount and paid_date disagree", rr.getLong(6));
    v.put("repayments paid more than due", rr.getLong(7));
    v.put("repayments (loan_id, installment_no) duplicate", duplicates(r, "loan_id",
        "installment_no"));
    Dataset<Row> withLoan = r.join(l.select("loan_id", "disbursed_date", "term_months"),
        new String[] {"loan_id"}, "left");
    v.put("repayments of an unknown loan", withLoan.filter(col("disbursed_date").isNull()).count());
    v.put("repayments.due_date before disbursed_date",
        withLoan.filter(col("due_date").lt(col("disbursed_date"))).count());
    v.put("repayments.paid_date before disbursed_date",
        withLoan.filter(col("paid_date").lt(col("disbursed_date"))).count());
    v.put("repayments installment beyond the term",
        withLoan.filter(col("installment_no").gt(col("term_months"))).count());
    v.put("loans without their full installment schedule",
        r.groupBy("loan_id").agg(count(lit(1)).as("n"))
            .join(l, new String[] {"loan_id"}, "right")
            .filter(col("n").isNull().or(col("n").notEqual(col("term_months")))).count());

    Dataset<Row> e = d.loanEvents();
    Row er = e.agg(
        countIf(col("loan_id").isNull()),
        countIf(col("event_date").isNull().or(col("event_date").gt(x))),
        countIf(col("event_type").isin("charge_off", "restructure").equalTo(false))).first();
    v.put("loan_events.loan_id null", er.getLong(0));
    v.put("loan_events.event_date null or after extract", er.getLong(1));
    v.put("loan_events.event_type unknown", er.getLong(2));
    v.put("loan_events of an unknown loan",
        e.join(l, new String[] {"loan_id"}, "left_anti").count());
    v.put("loan_events more than one per loan", duplicates(e, "loan_id"));
    return v;
  }

  private static long duplicates(Dataset<Row> ds, String... key) {
    Column[] cols = new Column[key.length];
    for (int i = 0; i < key.length; i++) {
      cols[i] = col(key[i]);
    }
    return ds.groupBy(cols).count().filter(col("count").gt(1)).count();
  }

  /**
   * A loan-level label after DESIGN.md ("Point in time and labels") with its defaults: 6-month
   * window, bad at 30 days past due or a charge-off/restructure inside the window; mature loans
   * only, so the label is final.
   */
  static Dataset<Row> matureLabels(DemoData d, LocalDate extract) {
    Dataset<Row> loans = d.loans()
        .withColumn("window_end", add_months(col("disbursed_date"), 6))
        .filter(col("window_end").leq(lit(extract)));
    Column paidInWindow = col("amount_paid").geq(col("amount_due").minus(0.01))
        .and(col("paid_date").leq(col("window_end")));
    Column dpd = when(paidInWindow, datediff(col("paid_date"), col("due_date")))
        .otherwise(datediff(col("window_end"), col("due_date")));
    Dataset<Row> maxDpd = d.repayments().join(loans.select("loan_id", "window_end"), "loan_id")
        .filter(col("due_date").leq(col("window_end")))
        .groupBy("loan_id").agg(max(dpd).as("max_dpd"));
    Dataset<Row> badEvents = d.loanEvents().join(loans.select("loan_id", "window_end"), "loan_id")
        .filter(col("event_date").leq(col("window_end")))
        .select("loan_id").distinct().withColumn("bad_event", lit(true));
    return loans
        .join(maxDpd, new String[] {"loan_id"}, "left")
        .join(badEvents, new String[] {"loan_id"}, "left")
        .withColumn("bad", when(col("max_dpd").geq(30).or(col("bad_event").eqNullSafe(true)), 1)
            .otherwise(0))
        .select("loan_id", "application_id", "disbursed_date", "bad");
  }

  /** Sizes and rates of the generated data, for docs/generator.md and the test log. */
  private static void printSummary() {
    System.out.printf("demo data %s: snapshots=%d applications=%d loans=%d repayments=%d events=%d%n",
        PARAMS, data.scoreSnapshots().count(), data.applications().count(), data.loans().count(),
        data.repayments().count(), data.loanEvents().count());
    data.applications().groupBy("decision").count().show();
    data.loanEvents().groupBy("event_type").count().show();
    Dataset<Row> labelled = matureLabels(data, PARAMS.extractDate())
        .join(data.applications().select("application_id", "decision_score", "product", "channel",
            "application_time"), "application_id");
    labelled.agg(count(lit(1)).as("mature_loans"), avg("bad").as("bad_rate")).show();
    labelled.filter(col("decision_score").isNotNull())
        .withColumn("quintile", ntile(5).over(
            Window.orderBy(col("decision_score"), col("application_id"))))
        .groupBy("quintile").agg(min("decision_score"), max("decision_score"), count(lit(1)),
            avg("bad")).orderBy("quintile").show();
    labelled.groupBy("product").agg(count(lit(1)), avg("bad")).orderBy("product").show();
    labelled.groupBy("channel").agg(count(lit(1)), avg("bad")).orderBy("channel").show();
    labelled.groupBy(org.apache.spark.sql.functions.date_format(col("disbursed_date"), "yyyy-MM")
            .as("month")).agg(count(lit(1)), avg("bad")).orderBy("month").show(30);
    data.applications().agg(countDistinct("customer_id")).show();
    missingScoreCounts().show();
  }

  /** Per application: no snapshot at all, only later ones, or a stale (> 45 days) latest one. */
  private static Dataset<Row> missingScoreCounts() {
    Dataset<Row> perApp = data.applications()
        .select("application_id", "customer_id", "application_time")
        .join(data.scoreSnapshots().select("customer_id", "score_time"),
            new String[] {"customer_id"}, "left")
        .groupBy("application_id")
        .agg(max(when(col("score_time").lt(col("application_time")), col("score_time")))
                .as("last_before"),
            max("application_time").as("application_time"),
            count("score_time").as("n_snapshots"));
    return perApp.agg(
        sum(when(col("n_snapshots").equalTo(0), 1).otherwise(0)).as("no_snapshot"),
        sum(when(col("n_snapshots").gt(0).and(col("last_before").isNull()), 1).otherwise(0))
            .as("only_after_application"),
        sum(when(datediff(to_date(col("application_time")), to_date(col("last_before"))).gt(45), 1)
            .otherwise(0)).as("stale"));
  }
}
