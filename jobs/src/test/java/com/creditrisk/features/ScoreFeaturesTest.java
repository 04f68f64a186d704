package com.creditrisk.features;

import static com.creditrisk.Rows.byKey;
import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time score features on a hand-made history; every expected value was worked out by
 * hand from the rule "latest snapshot strictly before application_time, at most 45 days old".
 */
class ScoreFeaturesTest {
  static final StructType SNAPS = schema("customer_id string", "score_time timestamp", "score int");
  static final StructType APPS = schema("application_id string", "customer_id string", "application_time timestamp");
  static Map<String, Row> out;

  static Dataset<Row> snapshots() {
    return df(SNAPS,
        row("C1", "2025-01-01 10:00:00", 600),
        row("C1", "2025-03-01 10:00:00", 620),
        row("C1", "2025-05-01 10:00:00", 650),
        row("C1", "2025-06-01 12:00:00", 700), // exactly A1's time: must not be used by A1
        row("C2", "2025-04-10 08:00:00", 500), // only after A3
        row("C4", "2025-05-31 23:59:59", 800), // interleaves with C1's times
        row("C5", "2025-01-01 00:00:00", 510), // exactly 90 days before A6
        row("C5", "2025-03-31 00:00:00", 530),
        row("C6", "2025-02-14 23:00:00", 610)); // 45 calendar days before A7: still usable
  }

  static Dataset<Row> applications() {
    return df(APPS,
        row("A1", "C1", "2025-06-01 12:00:00"),
        row("A2", "C1", "2025-07-20 09:00:00"), // repeat borrower; last snapshot 49 days old
        row("A3", "C2", "2025-04-01 00:00:00"),
        row("A4", "C3", "2025-04-01 00:00:00"),
        row("A5", "C4", "2025-06-01 00:00:00"),
        row("A6", "C5", "2025-04-01 00:00:00"),
        row("A7", "C6", "2025-03-31 01:00:00"));
  }

  @BeforeAll
  static void compute() {
    out = byKey(ScoreFeatures.compute(snapshots(), applications(), 45), "application_id");
  }

  @Test
  void ignoresSnapshotAtExactlyTheApplicationTime() {
    Row a1 = out.get("A1");
    assertEquals(650, a1.<Integer>getAs("score_at_application"));
    assertEquals(Timestamp.valueOf("2025-05-01 10:00:00"), a1.getAs("score_time_used"));
    assertEquals(31, a1.<Integer>getAs("score_age_days"));
    assertNull(a1.getAs("score_missing_reason"));
    assertEquals(3, a1.<Integer>getAs("snapshots_before_application"));
  }

  @Test
  void computesTrendFeaturesFromEarlierSnapshotsOnly() {
    Row a1 = out.get("A1");
    // 90 days before 2025-06-01 12:00 is 2025-03-03 12:00: latest at or before it is 620.
    assertEquals(30, a1.<Integer>getAs("score_change_90d"));
    // 180-day window from 2024-12-03 12:00: 600, 620, 650 (700 is at the application time).
    assertEquals(600, a1.<Integer>getAs("score_min_180d"));
    assertEquals(650, a1.<Integer>getAs("score_max_180d"));
    assertEquals(Math.sqrt(1900.0 / 3.0), a1.<Double>getAs("score_std_180d"), 1e-6);
    assertEquals(31, a1.<Integer>getAs("days_since_last_snapshot"));
  }

  @Test
  void marksStaleSnapshotMissingButKeepsTrend() {
    Row a2 = out.get("A2");
    assertNull(a2.getAs("score_at_application"));
    assertNull(a2.getAs("score_time_used"));
    assertNull(a2.getAs("score_age_days"));
    assertEquals("stale", a2.getAs("score_missing_reason"));
    assertEquals(700, a2.<Integer>getAs("last_snapshot_score"));
    assertEquals(49, a2.<Integer>getAs("days_since_last_snapshot"));
    assertEquals(4, a2.<Integer>getAs("snapshots_before_application"));
    // 90 days before 2025-07-20 09:00 is 2025-04-21 09:00: latest at or before it is 620.
    assertEquals(80, a2.<Integer>getAs("score_change_90d"));
    assertEquals(620, a2.<Integer>getAs("score_min_180d"));
    assertEquals(700, a2.<Integer>getAs("score_max_180d"));
  }

  @Test
  void tellsOnlyAfterApplicationFromNoSnapshot() {
    assertEquals("only_after_application", out.get("A3").getAs("score_missing_reason"));
    assertNull(out.get("A3").getAs("last_snapshot_score"));
    assertEquals(0, out.get("A3").<Integer>getAs("snapshots_before_application"));
    assertEquals("no_snapshot", out.get("A4").getAs("score_missing_reason"));
    assertNull(out.get("A4").getAs("score_at_application"));
  }

  @Test
  void keepsCustomersApartWhenTimesInterleave() {
    Row a5 = out.get("A5");
    assertEquals(800, a5.<Integer>getAs("score_at_application"));
    assertEquals(1, a5.<Integer>getAs("score_age_days"));
    assertEquals(1, a5.<Integer>getAs("snapshots_before_application"));
    assertNull(a5.getAs("score_change_90d"));
  }

  @Test
  void includesBoundariesOfTheTrendAndAgeRules() {
    Row a6 = out.get("A6");
    assertEquals(20, a6.<Integer>getAs("score_change_90d"));
    assertEquals(510, a6.<Integer>getAs("score_min_180d"));
    Row a7 = out.get("A7");
    assertEquals(45, a7.<Integer>getAs("score_age_days"));
    assertEquals(610, a7.<Integer>getAs("score_at_application"));
  }

  @Test
  void returnsOneRowPerApplication() {
    assertEquals(7, out.size());
    assertTrue(out.keySet().containsAll(java.util.List.of("A1", "A2", "A3", "A4", "A5", "A6", "A7")));
  }
}
