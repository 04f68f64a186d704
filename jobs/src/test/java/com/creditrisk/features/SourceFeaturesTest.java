package com.creditrisk.features;

import static com.creditrisk.Rows.byKey;
import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.creditrisk.config.FeatureSource;
import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Function;
import com.creditrisk.config.FeatureSource.Kind;
import com.creditrisk.config.InputFormat;
import com.creditrisk.config.InputSpec;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time features of feature sources on a hand-made history. As of 2025-06-30; every
 * expected value was worked out by hand from the rules "rows strictly before the application time,
 * windows [t - N days, t), nothing after the as-of date".
 */
class SourceFeaturesTest {
  static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
  static final InputSpec NOWHERE = new InputSpec(Optional.empty(), InputFormat.DELTA, Map.of());

  static final FeatureSource BUREAU = new FeatureSource("bureau", NOWHERE, Entity.CUSTOMER, Kind.EVENTS,
      List.of(), 0, List.of(30, 90),
      List.of(new Aggregate(Function.COUNT, Optional.empty()), new Aggregate(Function.SUM, Optional.of("amount")),
          new Aggregate(Function.MIN, Optional.of("amount")), new Aggregate(Function.MAX, Optional.of("amount")),
          new Aggregate(Function.MEAN, Optional.of("amount")), new Aggregate(Function.DISTINCT, Optional.of("lender"))),
      0.0, Map.of());
  static final FeatureSource DEVICE = new FeatureSource("device", NOWHERE, Entity.CUSTOMER, Kind.SNAPSHOT,
      List.of("os", "risk"), 31, List.of(), List.of(), 0.0, Map.of());
  static final FeatureSource PAYMENTS = new FeatureSource("payments", NOWHERE, Entity.CUSTOMER, Kind.EVENTS,
      List.of(), 0, List.of(7), List.of(new Aggregate(Function.COUNT, Optional.empty())), 0.0, Map.of());
  static final FeatureSource INCOME = new FeatureSource("income", NOWHERE, Entity.APPLICATION, Kind.APPLICATION,
      List.of("declared"), 0, List.of(), List.of(), 0.0, Map.of());

  static Map<String, Row> bureau;
  static Map<String, Row> device;
  static Map<String, Row> payments;
  static Map<String, Row> income;

  static Dataset<Row> applications() {
    return df(schema("application_id string", "customer_id string", "application_time timestamp"),
        row("A1", "C1", "2025-06-01 12:00:00"),
        row("A2", "C1", "2025-06-01 18:00:00"), // same customer, same day, later
        row("A3", "C2", "2025-06-01 00:00:00"), // rows only after the application
        row("A4", "C3", "2025-06-01 00:00:00"), // no rows up to the as-of date
        row("A5", "C4", "2025-06-01 00:00:00")); // rows, but all too old
  }

  @BeforeAll
  static void compute() {
    Dataset<Row> events = df(schema("customer_id string", "event_time timestamp", "amount double", "lender string"),
        row("C1", "2025-06-01 12:00:00", 100.0, "X"), // exactly A1's time: A2's only
        row("C1", "2025-05-02 12:00:00", 50.0, "Y"), // exactly 30 days before A1: in its 30-day window
        row("C1", "2025-05-02 11:59:59", 20.0, "Y"), // one second before that: in the 90-day window only
        row("C1", "2025-03-03 12:00:00", 10.0, "Z"), // exactly 90 days before A1; six hours before A2's 90-day window
        row("C1", "2025-07-01 09:00:00", 999.0, "W"), // after the as-of date: never read
        row("C2", "2025-06-10 09:00:00", 5.0, "X"),
        row("C3", "2025-07-02 09:00:00", 5.0, "X"), // after the as-of date: C3 still has no history
        row("C4", "2025-01-01 09:00:00", 7.0, "X"));
    bureau = byKey(SourceFeatures.compute(BUREAU, events, applications(), AS_OF), "application_id");

    Dataset<Row> snapshots = df(schema("customer_id string", "event_time timestamp", "os string", "risk double"),
        row("C1", "2025-05-01 12:00:00", "android", 0.2), // 31 calendar days before A1: the oldest usable
        row("C1", "2025-06-01 12:00:00", "ios", 0.9), // exactly A1's time: A2's
        row("C2", "2025-06-15 00:00:00", "ios", 0.5),
        row("C4", "2025-03-01 00:00:00", "ios", 0.1));
    device = byKey(SourceFeatures.compute(DEVICE, snapshots, applications(), AS_OF), "application_id");

    Dataset<Row> dated = df(schema("customer_id string", "event_time date"),
        row("C1", "2025-06-01"), // the applications' own day: known only at its end
        row("C1", "2025-05-31"),
        row("C1", "2025-05-25"), // known at 23:59:59.999999, inside both 7-day windows
        row("C1", "2025-05-24"));
    payments = byKey(SourceFeatures.compute(PAYMENTS, dated, applications(), AS_OF), "application_id");

    Dataset<Row> declared = df(schema("application_id string", "declared double"),
        row("A1", 3000.0),
        row("A9", 1.0)); // no such application: no row, no error here (the contract counts it)
    income = byKey(SourceFeatures.compute(INCOME, declared, applications(), AS_OF), "application_id");
  }

  @Test
  void namesEveryFeatureAfterItsSourceWithTheMissingReasonLast() {
    assertEquals(List.of("bureau__count_30d", "bureau__sum_amount_30d", "bureau__min_amount_30d",
        "bureau__max_amount_30d", "bureau__mean_amount_30d", "bureau__distinct_lender_30d", "bureau__count_90d",
        "bureau__sum_amount_90d", "bureau__min_amount_90d", "bureau__max_amount_90d", "bureau__mean_amount_90d",
        "bureau__distinct_lender_90d", "bureau__days_since_last", "bureau__missing_reason"),
        SourceFeatures.featureColumns(BUREAU));
    assertEquals(List.of("device__os", "device__risk", "device__age_days", "device__missing_reason"),
        SourceFeatures.featureColumns(DEVICE));
    assertEquals(List.of("income__declared", "income__missing_reason"), SourceFeatures.featureColumns(INCOME));
  }

  @Test
  void windowsIncludeTheirFirstInstantAndEndBeforeTheApplication() {
    Row a1 = bureau.get("A1");
    // 30 days: [05-02 12:00, 06-01 12:00) holds 50 only; the event at 06-01 12:00 is A1's own time.
    assertEquals(1L, a1.<Long>getAs("bureau__count_30d"));
    assertEquals(50.0, a1.<Double>getAs("bureau__sum_amount_30d"));
    assertEquals(1, a1.<Integer>getAs("bureau__distinct_lender_30d"));
    // 90 days: [03-03 12:00, 06-01 12:00) holds 50, 20 and 10.
    assertEquals(3L, a1.<Long>getAs("bureau__count_90d"));
    assertEquals(80.0, a1.<Double>getAs("bureau__sum_amount_90d"));
    assertEquals(10.0, a1.<Double>getAs("bureau__min_amount_90d"));
    assertEquals(50.0, a1.<Double>getAs("bureau__max_amount_90d"));
    assertEquals(80.0 / 3, a1.<Double>getAs("bureau__mean_amount_90d"), 1e-12);
    assertEquals(2, a1.<Integer>getAs("bureau__distinct_lender_90d"));
    assertEquals(30, a1.<Integer>getAs("bureau__days_since_last"));
    assertNull(a1.getAs("bureau__missing_reason"));
  }

  @Test
  void aLaterApplicationOfTheSameDaySeesTheEventAtTheEarlierOnesTime() {
    Row a2 = bureau.get("A2");
    // 30 days: [05-02 18:00, 06-01 18:00) holds 100 only; 50 at 05-02 12:00 is six hours too old.
    assertEquals(1L, a2.<Long>getAs("bureau__count_30d"));
    assertEquals(100.0, a2.<Double>getAs("bureau__sum_amount_30d"));
    // 90 days: [03-03 18:00, 06-01 18:00) holds 100, 50, 20; 10 at 03-03 12:00 is out.
    assertEquals(3L, a2.<Long>getAs("bureau__count_90d"));
    assertEquals(170.0, a2.<Double>getAs("bureau__sum_amount_90d"));
    assertEquals(20.0, a2.<Double>getAs("bureau__min_amount_90d"));
    assertEquals(100.0, a2.<Double>getAs("bureau__max_amount_90d"));
    assertEquals(2, a2.<Integer>getAs("bureau__distinct_lender_90d"));
    assertEquals(0, a2.<Integer>getAs("bureau__days_since_last"));
  }

  @Test
  void saysWhyAnApplicationHasNoEvents() {
    Row a3 = bureau.get("A3");
    assertEquals("only_after_application", a3.getAs("bureau__missing_reason"));
    assertEquals(0L, a3.<Long>getAs("bureau__count_90d"));
    assertEquals(0.0, a3.<Double>getAs("bureau__sum_amount_90d"));
    assertNull(a3.getAs("bureau__max_amount_90d"));
    assertNull(a3.getAs("bureau__mean_amount_90d"));
    assertEquals(0, a3.<Integer>getAs("bureau__distinct_lender_90d"));
    assertNull(a3.getAs("bureau__days_since_last"));
    // C3's only event is after the as-of date: not read, so no history at all.
    assertEquals("no_history", bureau.get("A4").getAs("bureau__missing_reason"));
    assertEquals(0L, bureau.get("A4").<Long>getAs("bureau__count_30d"));
    Row a5 = bureau.get("A5");
    assertEquals("stale", a5.getAs("bureau__missing_reason"));
    assertEquals(0L, a5.<Long>getAs("bureau__count_90d"));
    assertEquals(151, a5.<Integer>getAs("bureau__days_since_last"));
  }

  @Test
  void snapshotTakesTheLatestRowStrictlyBeforeTheApplicationWithinItsAge() {
    Row a1 = device.get("A1");
    assertEquals("android", a1.getAs("device__os"));
    assertEquals(0.2, a1.<Double>getAs("device__risk"));
    assertEquals(31, a1.<Integer>getAs("device__age_days"));
    assertNull(a1.getAs("device__missing_reason"));
    Row a2 = device.get("A2");
    assertEquals("ios", a2.getAs("device__os"));
    assertEquals(0, a2.<Integer>getAs("device__age_days"));
  }

  @Test
  void snapshotTooOldIsStaleWithItsAgeAndNoValues() {
    Row a5 = device.get("A5");
    assertEquals("stale", a5.getAs("device__missing_reason"));
    assertNull(a5.getAs("device__os"));
    assertNull(a5.getAs("device__risk"));
    assertEquals(92, a5.<Integer>getAs("device__age_days"));
    assertEquals("only_after_application", device.get("A3").getAs("device__missing_reason"));
    assertNull(device.get("A3").getAs("device__os"));
    assertEquals("no_history", device.get("A4").getAs("device__missing_reason"));
  }

  @Test
  void aDatedRowIsKnownAtTheEndOfItsDay() {
    // 06-01 is the applications' own day; 05-31 and 05-25 (end of day, after 05-25 12:00 and 18:00)
    // are inside the 7-day windows; 05-24 ends before them.
    assertEquals(2L, payments.get("A1").<Long>getAs("payments__count_7d"));
    assertEquals(2L, payments.get("A2").<Long>getAs("payments__count_7d"));
    assertEquals(1, payments.get("A1").<Integer>getAs("payments__days_since_last"));
  }

  @Test
  void applicationSourceJoinsByApplicationAndIgnoresUnknownKeys() {
    assertEquals(5, income.size());
    assertEquals(3000.0, income.get("A1").<Double>getAs("income__declared"));
    assertNull(income.get("A1").getAs("income__missing_reason"));
    assertNull(income.get("A2").getAs("income__declared"));
    assertEquals("no_history", income.get("A2").getAs("income__missing_reason"));
  }
}
