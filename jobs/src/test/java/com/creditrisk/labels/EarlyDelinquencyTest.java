package com.creditrisk.labels;

import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.io.SparkJobCounter;
import com.creditrisk.labels.EarlyDelinquency.Cohort;
import com.creditrisk.labels.EarlyDelinquency.Comparison;
import com.creditrisk.labels.EarlyDelinquency.Indicator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Early delinquency on hand-made loans as of 2025-06-30, at "15+ by MOB 1", "30+ by MOB 2" and
 * "30+ by MOB 3". A loan's MOB-M window ends M months after its first due date. Each loan's
 * comment gives the answer worked out by hand as (D15@M1, D30@M2, D30@M3): hit, miss, or not
 * observable (-).
 */
class EarlyDelinquencyTest {
  static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
  /** The label tests' inputs: the contract's loans and repayments. */
  static final StructType LOANS = LoanPerformanceTest.LOANS;
  static final StructType REPS = LoanPerformanceTest.REPS;
  static final Indicator D15_M1 = new Indicator(15, 1);
  static final Indicator D30_M2 = new Indicator(30, 2);
  static final Indicator D30_M3 = new Indicator(30, 3);
  static final List<Indicator> INDICATORS = List.of(D15_M1, D30_M2, D30_M3);

  static Dataset<Row> loans() {
    return df(LOANS,
        // First due 02-10, paid 18 days late (15+ on 02-25, inside MOB 1 ending 03-10), then on time: hit, miss, miss.
        row("E1", "A1", "2025-01-10"),
        // First due 02-15 paid 60 of 100 on the day and never completed: the clock runs on. 15+ on 03-02
        // (MOB 1 ends 03-15), 30+ on 03-17 (MOB 2 ends 04-15): hit, hit, hit.
        row("E2", "A2", "2025-01-15"),
        // Every installment paid five days early: miss, miss, miss.
        row("E3", "A3", "2025-01-20"),
        // Disbursed on Jan 31: a January loan. Due 02-28, 03-31, 04-30; MOB 1, 2, 3 end 03-28, 04-28,
        // 05-28 (Feb 28 + 1 month is Mar 28). The Mar 31 installment, paid Apr 30, is 15+ on 04-15 and 30+
        // on 04-30, after MOB 2 ended: miss, miss, hit.
        row("E4", "A4", "2025-01-31"),
        // No installment rows: no clock, never observable, still a January loan: -, -, -.
        row("E8", "A8", "2025-01-05"),
        // First due 05-10, paid only on 07-15, after the as-of date: unpaid then, 15+ on 05-25, inside
        // MOB 1 ending 06-10; MOB 2 ends 07-10, after the as-of date: hit, -, -.
        row("E6", "A6", "2025-04-10"),
        // First due 06-05, unpaid and 15+ on 06-20, but MOB 1 ends 07-05, after the as-of date: -, -, -.
        row("E5", "A5", "2025-05-05"),
        // Disbursed after the as-of date: left out, no July row at all.
        row("E7", "A7", "2025-07-02"));
  }

  static Dataset<Row> repayments() {
    return df(REPS,
        row("E1", 1, "2025-02-10", 100.0, 100.0, "2025-02-28"),
        row("E1", 2, "2025-03-10", 100.0, 100.0, "2025-03-10"),
        row("E1", 3, "2025-04-10", 100.0, 100.0, "2025-04-10"),
        row("E2", 1, "2025-02-15", 100.0, 60.0, "2025-02-15"),
        row("E2", 2, "2025-03-15", 100.0, 100.0, "2025-03-15"),
        row("E2", 3, "2025-04-15", 100.0, 100.0, "2025-04-15"),
        row("E3", 1, "2025-02-20", 100.0, 100.0, "2025-02-15"),
        row("E3", 2, "2025-03-20", 100.0, 100.0, "2025-03-15"),
        row("E3", 3, "2025-04-20", 100.0, 100.0, "2025-04-15"),
        row("E4", 1, "2025-02-28", 100.0, 100.0, "2025-02-28"),
        row("E4", 2, "2025-03-31", 100.0, 100.0, "2025-04-30"),
        row("E4", 3, "2025-04-30", 100.0, 100.0, "2025-04-30"),
        row("E6", 1, "2025-05-10", 100.0, 100.0, "2025-07-15"),
        row("E6", 2, "2025-06-10", 100.0, 0.0, null),
        row("E5", 1, "2025-06-05", 100.0, 0.0, null),
        row("E7", 1, "2025-08-02", 100.0, 0.0, null));
  }

  static LabelRules rules(LocalDate asOf) {
    return new LabelRules(asOf, 6, 0.01, 30, 29, List.of("charge_off"));
  }

  @Test
  void countsObservableLoansAndEverLateOnesPerDisbursementMonthAndIndicator() {
    List<Cohort> out = EarlyDelinquency.compute(loans(), repayments(), rules(AS_OF), INDICATORS);
    assertEquals(List.of(
        // January: E1 (15+ then caught up) and E2 (partial) hit 15+ by MOB 1; E2 30+ by MOB 2; E2 and E4
        // 30+ by MOB 3. E8 counts as a loan, never as observable.
        new Cohort("2025-01", D15_M1, 5, 4, 2),
        new Cohort("2025-01", D30_M2, 5, 4, 1),
        new Cohort("2025-01", D30_M3, 5, 4, 2),
        new Cohort("2025-04", D15_M1, 1, 1, 1),
        new Cohort("2025-04", D30_M2, 1, 0, 0),
        new Cohort("2025-04", D30_M3, 1, 0, 0),
        new Cohort("2025-05", D15_M1, 1, 0, 0),
        new Cohort("2025-05", D30_M2, 1, 0, 0),
        new Cohort("2025-05", D30_M3, 1, 0, 0)), out);
    assertEquals(0.5, out.get(0).rate(), 0);
    assertTrue(Double.isNaN(out.get(8).rate()));
  }

  /**
   * E4 alone as of 2025-03-28: its MOB 1 window (first due Feb 28 + 1 month = Mar 28) ends on the
   * as-of day, which counts, and its Feb 28 installment, paid only on 03-30, was 15+ on 03-15. A day
   * earlier the window is still open.
   */
  @Test
  void monthEndFirstDueDateWindowEndsOnTheSameDayNextMonth() {
    Dataset<Row> loans = df(LOANS, row("E4", "A4", "2025-01-31"));
    Dataset<Row> reps = df(REPS, row("E4", 1, "2025-02-28", 100.0, 100.0, "2025-03-30"));
    assertEquals(List.of(new Cohort("2025-01", D15_M1, 1, 1, 1)),
        EarlyDelinquency.compute(loans, reps, rules(LocalDate.parse("2025-03-28")), List.of(D15_M1)));
    assertEquals(List.of(new Cohort("2025-01", D15_M1, 1, 0, 0)),
        EarlyDelinquency.compute(loans, reps, rules(LocalDate.parse("2025-03-27")), List.of(D15_M1)));
  }

  /** The label's paid tolerance: short by less than 0.01 is paid, by more the installment stays open. */
  @Test
  void aPaymentWithinTheToleranceStopsTheClockAsForTheLabel() {
    Dataset<Row> loans = df(LOANS, row("T1", "A1", "2025-01-10"), row("T2", "A2", "2025-01-10"));
    Dataset<Row> reps = df(REPS,
        row("T1", 1, "2025-02-10", 100.0, 99.995, "2025-02-10"), // paid within 0.01: never late
        row("T2", 1, "2025-02-10", 100.0, 99.98, "2025-02-10")); // short by 0.02: open, 15+ on 02-25
    assertEquals(List.of(new Cohort("2025-01", D15_M1, 2, 2, 1)),
        EarlyDelinquency.compute(loans, reps, rules(AS_OF), List.of(D15_M1)));
  }

  /**
   * The same clock as the label: on random loans disbursed before the 29th of a month with the
   * first installment due a month later, "30+ by MOB 2" is the label's "bad by DPD" with a 3-month
   * window (M months after the first due date = M + 1 after disbursement), and observable is mature.
   */
  @Test
  void agreesWithTheLabelWhereTheWindowsCoincide() {
    Random rnd = new Random(11);
    List<Object[]> loanRows = new ArrayList<>();
    List<Object[]> repRows = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      LocalDate disbursed = LocalDate.of(2025, 1 + rnd.nextInt(4), 1 + rnd.nextInt(28));
      loanRows.add(row("R" + i, "A" + i, disbursed.toString()));
      for (int k = 1; k <= 1 + rnd.nextInt(4); k++) {
        LocalDate due = disbursed.plusMonths(k);
        double u = rnd.nextDouble();
        // On time, late by up to 60 days, partly paid, or unpaid.
        Object paid = u < 0.4 ? due.toString() : u < 0.8 ? due.plusDays(rnd.nextInt(61)).toString()
            : u < 0.9 ? due.plusDays(rnd.nextInt(10)).toString() : null;
        double amount = u < 0.8 ? 100.0 : u < 0.9 ? 40.0 : 0.0;
        repRows.add(row("R" + i, k, due.toString(), 100.0, amount, paid));
      }
    }
    Dataset<Row> loans = df(LOANS, loanRows.toArray(new Object[0][]));
    Dataset<Row> reps = df(REPS, repRows.toArray(new Object[0][]));
    LabelRules label = new LabelRules(AS_OF, 3, 0.01, 30, 29, List.of());
    List<Row> expected = LoanPerformance.compute(loans, reps, Optional.empty(), label)
        .where("mature").groupBy(date_format(col("disbursed_date"), "yyyy-MM").as("month"))
        .agg(count(lit(1)), count(col("first_bad_date")))
        .orderBy("month").collectAsList();
    List<Cohort> out = EarlyDelinquency.compute(loans, reps, label, List.of(D30_M2));
    List<String> fromLabel = expected.stream().map(r -> r.getString(0) + " " + r.getLong(1) + " " + r.getLong(2))
        .toList();
    List<String> fromIndicator = out.stream().filter(c -> c.observable() > 0)
        .map(c -> c.month() + " " + c.observable() + " " + c.hits()).toList();
    assertEquals(fromLabel, fromIndicator);
    assertTrue(out.stream().mapToLong(Cohort::hits).sum() > 5, "the fixture must have late loans: " + out);
  }

  /**
   * One Spark job for every indicator at once: the repayments are read once, whatever the
   * indicators. Joins of tables as large as real ones are not broadcast; here the tiny fixtures
   * would be, at a job of their own, so broadcasting is off while counting.
   */
  @Test
  void oneSparkJobWhateverTheIndicators() {
    SparkSession spark = TestSpark.get();
    String key = "spark.sql.autoBroadcastJoinThreshold";
    String before = spark.conf().get(key);
    int[] jobs = new int[2];
    List<List<Indicator>> lists = List.of(List.of(D15_M1), INDICATORS);
    spark.conf().set(key, "-1");
    try {
      for (int k = 0; k < 2; k++) {
        try (SparkJobCounter c = SparkJobCounter.start(spark)) {
          EarlyDelinquency.compute(loans(), repayments(), rules(AS_OF), lists.get(k));
          c.close();
          jobs[k] = c.jobs();
        }
      }
    } finally {
      spark.conf().set(key, before);
    }
    assertEquals(1, jobs[0]);
    assertEquals(1, jobs[1]);
  }

  @Test
  void indicatorNamesAndBounds() {
    assertEquals("dpd15_mob1", D15_M1.id());
    assertEquals("ever 30+ DPD by MOB 2", D30_M2.label());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Indicator(0, 1));
    assertEquals("Invalid early-delinquency indicator: need dpd >= 1 and mob >= 1, got 0 and 1", e.getMessage());
  }

  /**
   * Development months 2024-11 and 2024-12 pool 1,000 observable loans with 50 hits (5%). 2025-01:
   * 30 of 200 (15%), Jeffreys 95% interval from Beta(30.5, 170.5), lower end about 0.10 > 0.05: above.
   * 2025-02: 14 of 200 (7%), lower end about 0.04: not above. 2025-03: none observable: no rate, not above.
   */
  @Test
  void aMonthIsAboveWhenItsJeffreysLowerBoundExceedsTheDevelopmentRate() {
    List<Cohort> cohorts = List.of(
        new Cohort("2024-11", D30_M3, 700, 600, 20),
        new Cohort("2024-12", D30_M3, 500, 400, 30),
        new Cohort("2025-01", D30_M3, 210, 200, 30),
        new Cohort("2025-02", D30_M3, 220, 200, 14),
        new Cohort("2025-03", D30_M3, 230, 0, 0));
    List<Comparison> out = EarlyDelinquency.compare(cohorts, Set.of("2024-11", "2024-12"), 0.95);
    assertEquals(5, out.size());
    Comparison jan = out.get(2);
    assertEquals("2025-01", jan.month());
    assertEquals(200, jan.n());
    assertEquals(30, jan.hits());
    assertEquals(0.15, jan.rate(), 1e-15);
    BetaDistribution b = new BetaDistribution(30.5, 170.5);
    assertEquals(b.inverseCumulativeProbability(0.025), jan.low(), 1e-9);
    assertEquals(b.inverseCumulativeProbability(0.975), jan.high(), 1e-9);
    assertEquals(1000, jan.devN());
    assertEquals(50, jan.devHits());
    assertEquals(0.05, jan.devRate(), 1e-15);
    assertTrue(jan.low() > 0.09 && jan.low() < 0.11, "lower end " + jan.low());
    assertTrue(jan.above());
    Comparison feb = out.get(3);
    assertTrue(feb.low() < 0.05, "lower end " + feb.low());
    assertFalse(feb.above());
    Comparison mar = out.get(4);
    assertTrue(Double.isNaN(mar.rate()) && Double.isNaN(mar.low()));
    assertFalse(mar.above());
    // A development month is compared with the pool it belongs to: 20 / 600 is below 5%.
    assertFalse(out.get(0).above());
  }

  /** Development cohorts with no hit at all: a month without a hit is not above their rate of 0, one with a hit is. */
  @Test
  void aMonthWithoutHitsIsNeverAbove() {
    List<Cohort> cohorts = List.of(
        new Cohort("2024-12", D15_M1, 300, 300, 0),
        new Cohort("2025-01", D15_M1, 100, 100, 0),
        new Cohort("2025-02", D15_M1, 100, 100, 3));
    List<Comparison> out = EarlyDelinquency.compare(cohorts, Set.of("2024-12"), 0.95);
    assertEquals(0.0, out.get(1).devRate(), 0);
    assertTrue(out.get(1).low() > 0, "the Jeffreys lower end of 0 of 100 is positive: " + out.get(1).low());
    assertFalse(out.get(1).above());
    assertTrue(out.get(2).above());
  }

  @Test
  void noDevelopmentMonthGivesNoDevelopmentRateAndNothingAbove() {
    List<Comparison> out = EarlyDelinquency.compare(List.of(new Cohort("2025-01", D15_M1, 10, 10, 9)), Set.of(), 0.95);
    assertEquals(0, out.get(0).devN());
    assertTrue(Double.isNaN(out.get(0).devRate()));
    assertFalse(out.get(0).above());
  }
}
