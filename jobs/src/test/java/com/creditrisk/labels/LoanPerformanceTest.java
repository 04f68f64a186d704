package com.creditrisk.labels;

import static com.creditrisk.Rows.byKey;
import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPD and labels on hand-made loans, as of 2025-06-30 with a 6-month window and bad at 30 DPD.
 * Each loan's comment gives the answer worked out by hand.
 */
class LoanPerformanceTest {
  static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
  static final StructType LOANS = schema("loan_id string", "application_id string", "disbursed_date date");
  static final StructType REPS = schema("loan_id string", "installment_no int", "due_date date", "amount_due double",
      "amount_paid double", "paid_date date");
  static final StructType EVENTS = schema("loan_id string", "event_date date", "event_type string");
  static Map<String, Row> out;

  static Dataset<Row> loans() {
    return df(LOANS,
        row("L1", "A1", "2024-12-01"), // paid 19 days late once; window ends 2025-06-01: good
        row("L2", "A2", "2024-12-01"), // partial payment never completed: bad on 2025-01-31
        row("L3", "A3", "2025-03-15"), // paid early, then paid after the as-of: bad on 2025-06-14, not mature
        row("L4", "A4", "2025-03-15"), // 26 days late, window open: immature
        row("L5", "A5", "2024-12-31"), // window ends on the as-of day; 30 DPD exactly on it: bad
        row("L6", "A6", "2024-11-01"), // on time, then charged off 2025-02-10: bad by event
        row("L8", "A8", "2024-12-01"), // paid within the 0.01 tolerance: good
        row("L9", "A9", "2024-10-01"), // unpaid installment due after window end: DPD 0, good
        row("L10", "A10", "2024-12-01")); // no installment rows: indeterminate
  }

  static Dataset<Row> repayments() {
    return df(REPS,
        row("L1", 1, "2025-01-01", 100.0, 100.0, "2025-01-01"),
        row("L1", 2, "2025-02-01", 100.0, 100.0, "2025-02-20"),
        row("L1", 3, "2025-03-01", 100.0, 100.0, "2025-03-01"),
        row("L2", 1, "2025-01-01", 100.0, 50.0, "2025-01-05"),
        row("L3", 1, "2025-04-15", 100.0, 100.0, "2025-04-10"),
        row("L3", 2, "2025-05-15", 100.0, 100.0, "2025-07-05"),
        row("L4", 1, "2025-04-15", 100.0, 100.0, "2025-04-15"),
        row("L4", 2, "2025-05-15", 100.0, 100.0, "2025-06-10"),
        row("L5", 1, "2025-05-31", 100.0, 0.0, null),
        row("L6", 1, "2024-12-01", 100.0, 100.0, "2024-12-01"),
        row("L8", 1, "2025-01-01", 100.0, 99.995, "2025-01-01"),
        row("L9", 1, "2025-05-01", 100.0, 0.0, null));
  }

  static Dataset<Row> events() {
    return df(EVENTS,
        row("L6", "2025-02-10", "charge_off"),
        row("L1", "2025-01-10", "fraud"), // not a bad event type
        row("L1", "2025-06-15", "charge_off")); // after L1's window ended
  }

  @BeforeAll
  static void compute() {
    LabelRules rules = new LabelRules(AS_OF, 6, 0.01, 30, 29, List.of("charge_off", "write_off", "restructure"));
    out = byKey(LoanPerformance.compute(loans(), repayments(), Optional.of(events()), rules), "loan_id");
  }

  static void assertLoan(String id, String status, Integer label, Integer maxDpd, String firstBad, boolean mature) {
    Row r = out.get(id);
    assertEquals(status, r.getAs("status"), id + " status");
    assertEquals(label, r.<Integer>getAs("label"), id + " label");
    assertEquals(maxDpd, r.<Integer>getAs("max_dpd"), id + " max_dpd");
    assertEquals(firstBad == null ? null : Date.valueOf(firstBad), r.getAs("first_bad_date"), id + " first_bad_date");
    assertEquals(mature, r.<Boolean>getAs("mature"), id + " mature");
  }

  @Test
  void latePaymentBelowThresholdIsGood() {
    assertLoan("L1", "good", 0, 19, null, true);
    assertEquals(Date.valueOf("2025-06-01"), out.get("L1").getAs("window_end"));
  }

  @Test
  void partialPaymentStaysOpenUntilWindowEnd() {
    // Unpaid at e = 2025-06-01: DPD = 151; bad on due + 30 = 2025-01-31.
    assertLoan("L2", "bad", 1, 151, "2025-01-31", true);
  }

  @Test
  void paymentAfterAsOfCountsAsNotYetMade() {
    // e = as-of 2025-06-30; installment 2 due 2025-05-15 is open: DPD 46, bad on 2025-06-14.
    assertLoan("L3", "bad", 1, 46, "2025-06-14", false);
  }

  @Test
  void openWindowWithoutBadIsImmature() {
    assertLoan("L4", "immature", null, 26, null, false);
  }

  @Test
  void windowLastDayIsIncluded() {
    // window_end = 2025-06-30 = as-of: mature; due 2025-05-31 + 30 = 2025-06-30 <= e.
    assertLoan("L5", "bad", 1, 30, "2025-06-30", true);
  }

  @Test
  void chargeOffInsideWindowMakesLoanBad() {
    assertLoan("L6", "bad", 1, 0, "2025-02-10", true);
    assertTrue(out.get("L6").<Boolean>getAs("bad_by_event"));
    assertFalse(out.get("L1").<Boolean>getAs("bad_by_event"));
  }

  @Test
  void paymentWithinToleranceCountsAsPaid() {
    assertLoan("L8", "good", 0, 0, null, true);
  }

  @Test
  void installmentDueAfterWindowEndCannotMakeLoanBad() {
    assertLoan("L9", "good", 0, 0, null, true);
  }

  @Test
  void loanWithoutInstallmentsIsIndeterminate() {
    assertLoan("L10", "indeterminate", null, null, null, true);
    assertEquals(0, out.get("L10").<Integer>getAs("installments"));
  }

  @Test
  void goodMaxDpdBelowBadDpdMakesBandIndeterminate() {
    LabelRules strict = new LabelRules(AS_OF, 6, 0.01, 30, 10, List.of("charge_off"));
    Map<String, Row> r = byKey(LoanPerformance.compute(loans(), repayments(), Optional.empty(), strict), "loan_id");
    assertEquals("indeterminate", r.get("L1").getAs("status"));
    assertNull(r.get("L1").getAs("label"));
    // Without the events table L6 is just an on-time loan.
    assertEquals("good", r.get("L6").getAs("status"));
  }
}
