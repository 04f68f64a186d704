package com.creditrisk.dataset;

import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.schema;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.features.ScoreFeatures;
import com.creditrisk.labels.LabelRules;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of the point-in-time view on random histories: what happens after the as-of date,
 * or after an application, cannot change that application's features or its loan's label.
 */
class PointInTimePropertyTest {
  static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
  static final StructType SNAPS = schema("customer_id string", "score_time timestamp", "score int");
  static final StructType APPS = schema("application_id string", "customer_id string", "application_time timestamp");
  static final StructType LOANS = schema("loan_id string", "application_id string", "disbursed_date date");
  static final StructType REPS = schema("loan_id string", "installment_no int", "due_date date", "amount_due double",
      "amount_paid double", "paid_date date");
  static final StructType EVENTS = schema("loan_id string", "event_date date", "event_type string");
  static CreditRiskConfig conf;

  @BeforeAll
  static void setUp() {
    TestSpark.get();
    conf = CreditRiskConfig.defaults();
  }

  /** A random history: the lists of rows of each table. */
  static final class History {
    final List<Object[]> snaps = new ArrayList<>();
    final List<Object[]> apps = new ArrayList<>();
    final List<Object[]> loans = new ArrayList<>();
    final List<Object[]> reps = new ArrayList<>();
    final List<Object[]> events = new ArrayList<>();
    final Random r;

    History(long seed) {
      r = new Random(seed);
      LocalDateTime start = LocalDateTime.parse("2024-01-01T00:00:00");
      for (int c = 0; c < 40; c++) {
        String cust = "C" + c;
        Set<LocalDateTime> used = new HashSet<>();
        int nSnaps = r.nextInt(9);
        for (int i = 0; i < nSnaps; i++) {
          LocalDateTime t = start.plusMinutes(r.nextInt(730 * 24 * 60));
          if (used.add(t)) {
            snaps.add(new Object[] {cust, ts(t), 350 + r.nextInt(601)});
          }
        }
        int nApps = 1 + r.nextInt(2);
        for (int a = 0; a < nApps; a++) {
          String app = "A" + c + "_" + a;
          // Some applications fall on exactly a snapshot's time, to exercise the tie rule.
          LocalDateTime t = !used.isEmpty() && r.nextInt(6) == 0
              ? used.iterator().next()
              : start.plusDays(60).plusMinutes(r.nextInt(670 * 24 * 60));
          apps.add(new Object[] {app, cust, ts(t)});
          if (r.nextInt(10) < 8) {
            String loan = "L" + c + "_" + a;
            LocalDate disbursed = t.toLocalDate().plusDays(r.nextInt(3));
            loans.add(new Object[] {loan, app, java.sql.Date.valueOf(disbursed)});
            int term = 1 + r.nextInt(6);
            for (int k = 1; k <= term; k++) {
              LocalDate due = disbursed.plusMonths(k);
              int behaviour = r.nextInt(5);
              double paid = behaviour == 3 ? 40.0 : (behaviour == 4 ? 0.0 : 100.0);
              LocalDate paidOn = behaviour == 0 ? due.minusDays(r.nextInt(5))
                  : behaviour == 1 || behaviour == 2 ? due.plusDays(r.nextInt(70))
                  : behaviour == 3 ? due.plusDays(r.nextInt(20)) : null;
              reps.add(new Object[] {loan, k, java.sql.Date.valueOf(due), 100.0, paid,
                  paidOn == null ? null : java.sql.Date.valueOf(paidOn)});
            }
            if (r.nextInt(8) == 0) {
              events.add(new Object[] {loan, java.sql.Date.valueOf(disbursed.plusDays(20 + r.nextInt(300))),
                  r.nextBoolean() ? "charge_off" : "fraud"});
            }
          }
        }
      }
    }

    PointInTime pointInTime() {
      return PointInTime.of(df(SNAPS, snaps.toArray(Object[][]::new)), df(APPS, apps.toArray(Object[][]::new)),
          df(LOANS, loans.toArray(Object[][]::new)), df(REPS, reps.toArray(Object[][]::new)),
          Optional.of(df(EVENTS, events.toArray(Object[][]::new))), AS_OF, conf);
    }
  }

  static java.sql.Timestamp ts(LocalDateTime t) {
    return java.sql.Timestamp.valueOf(t);
  }

  static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, String what) {
    assertEquals(0, expected.exceptAll(actual).count(), what + ": rows missing or changed");
    assertEquals(0, actual.exceptAll(expected).count(), what + ": rows added or changed");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void recordsAfterTheAsOfDateChangeNothing(long seed) {
    History base = new History(seed);
    PointInTime before = base.pointInTime();

    History later = new History(seed);
    Random r = new Random(seed * 31 + 7);
    LocalDateTime afterAsOf = AS_OF.plusDays(1).atStartOfDay();
    for (int c = 0; c < 40; c += 2) {
      later.snaps.add(new Object[] {"C" + c, ts(afterAsOf.plusMinutes(r.nextInt(200_000))), 350 + r.nextInt(601)});
    }
    later.apps.add(new Object[] {"A_new", "C1", ts(afterAsOf.plusDays(3))});
    later.loans.add(new Object[] {"L_new", "A_new", java.sql.Date.valueOf(AS_OF.plusDays(4))});
    later.reps.add(new Object[] {"L_new", 1, java.sql.Date.valueOf(AS_OF.plusDays(34)), 100.0, 0.0, null});
    // Every installment still open at the as-of date gets paid in full after it.
    List<Object[]> paidLater = new ArrayList<>();
    for (Object[] rep : later.reps) {
      java.sql.Date paidOn = (java.sql.Date) rep[5];
      boolean open = (double) rep[4] < 100.0 || paidOn == null || paidOn.toLocalDate().isAfter(AS_OF);
      paidLater.add(open
          ? new Object[] {rep[0], rep[1], rep[2], rep[3], 100.0, java.sql.Date.valueOf(AS_OF.plusDays(1 + r.nextInt(90)))}
          : rep);
    }
    later.reps.clear();
    later.reps.addAll(paidLater);
    for (Object[] loan : base.loans) {
      later.events.add(new Object[] {loan[0], java.sql.Date.valueOf(AS_OF.plusDays(1 + r.nextInt(30))), "charge_off"});
    }
    PointInTime after = later.pointInTime();

    assertSameRows(before.features(), after.features(), "features");
    assertSameRows(before.performance(), after.performance(), "loan performance");
    assertTrue(before.performance().count() > 10, "the random history has loans");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13})
  void snapshotsAfterAnApplicationLeaveItsFeaturesUnchanged(long seed) {
    History base = new History(seed);
    History more = new History(seed);
    Random r = new Random(seed);
    // Per customer, the earliest added snapshot: applications at or before it must not change.
    java.util.Map<String, LocalDateTime> firstAdded = new java.util.HashMap<>();
    for (Object[] app : base.apps) {
      if (r.nextBoolean()) {
        String cust = (String) app[1];
        LocalDateTime t = ((java.sql.Timestamp) app[2]).toLocalDateTime().plusMinutes(r.nextInt(90 * 24 * 60));
        more.snaps.add(new Object[] {cust, ts(t), 350 + r.nextInt(601)});
        firstAdded.merge(cust, t, (x, y) -> x.isBefore(y) ? x : y);
      }
    }
    List<String> untouched = new ArrayList<>();
    for (Object[] app : base.apps) {
      LocalDateTime first = firstAdded.get((String) app[1]);
      if (first == null || !first.isBefore(((java.sql.Timestamp) app[2]).toLocalDateTime())) {
        untouched.add((String) app[0]);
      }
    }
    // score_missing_reason is a diagnostic that may turn no_snapshot into only_after_application.
    Dataset<Row> before = base.pointInTime().features().filter(col("application_id").isin(untouched.toArray()))
        .drop("score_missing_reason");
    Dataset<Row> after = more.pointInTime().features().filter(col("application_id").isin(untouched.toArray()))
        .drop("score_missing_reason");
    assertSameRows(before, after, "features of applications before every added snapshot");
    assertEquals(base.apps.size(), untouched.size() + (base.apps.size() - untouched.size()));
    assertTrue(untouched.size() >= 20, "enough applications are checked: " + untouched.size());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23})
  void theJobsRepaymentPassGivesTheSameLoanPerformanceAsCompute(long seed) {
    // build-dataset computes DPD inside the repayments' contract pass (grouped by installment key,
    // then by loan, rows of unknown loans kept until the join); it must agree with compute().
    History h = new History(seed);
    h.reps.add(new Object[] {"L_unknown", 1, java.sql.Date.valueOf("2025-01-01"), 10.0, 0.0, null});
    Dataset<Row> loans = df(LOANS, h.loans.toArray(Object[][]::new));
    Dataset<Row> flagged = df(REPS, h.reps.toArray(Object[][]::new))
        .join(loans.select(col("loan_id"), col("disbursed_date").as("__loan_disbursed")), "loan_id", "left")
        .withColumn("__loan_known", col("__loan_disbursed").isNotNull());
    PointInTime pit = h.pointInTime();
    Dataset<Row> dpd = PointInTime.repaymentPass(flagged, LabelRules.from(conf, AS_OF), d -> d, d -> d);
    Dataset<Row> job = PointInTime.performance(pit.applications(), loans, dpd,
        Optional.of(df(EVENTS, h.events.toArray(Object[][]::new))), AS_OF, conf);
    assertSameRows(pit.performance(), job, "loan performance");
    assertTrue(job.count() >= 10, "enough loans are compared: " + job.count());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {31, 32, 33})
  void applicationsCarriedThroughTheFeatureSortEqualTheJoinWithTheirFeatures(long seed) {
    // build-dataset takes each application's columns out of the feature sort (ScoreFeatures.
    // applicationsWithFeatures) instead of joining the applications with their features again.
    History h = new History(seed);
    PointInTime pit = h.pointInTime();
    Dataset<Row> apps = pit.applications()
        .withColumn("product", concat(lit("p-"), col("application_id")))
        .withColumn("requested_amount", lit(1000.5))
        .withColumn("term_months", lit(null).cast("int"));
    Dataset<Row> joined = apps.join(pit.features(), "application_id", "left");
    Dataset<Row> carried = ScoreFeatures.applicationsWithFeatures(
        ScoreFeatures.lookBack(df(SNAPS, h.snaps.toArray(Object[][]::new)), apps,
            col("score_time").lt(lit(AS_OF.plusDays(1).toString()).cast("timestamp"))),
        conf.maxScoreAgeDays());
    assertEquals(List.of(joined.columns()).stream().sorted().toList(),
        List.of(carried.columns()).stream().sorted().toList());
    assertSameRows(joined, carried.select(java.util.Arrays.stream(joined.columns()).map(c -> col(c))
        .toArray(org.apache.spark.sql.Column[]::new)), "applications with features");
    assertTrue(carried.count() >= 40, "every application is compared: " + carried.count());
  }
}
