package com.creditrisk.ingest;

import static com.creditrisk.Rows.byKey;
import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.FeatureSource;
import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Function;
import com.creditrisk.config.FeatureSource.Kind;
import com.creditrisk.config.InputFormat;
import com.creditrisk.config.InputSpec;
import com.creditrisk.errors.CreditRiskException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A feature source is read and checked like an input: one test per rule, exit 3 naming it. */
class SourceInputTest {
  static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
  static SparkSession spark;
  static Dataset<Row> applications;

  @TempDir
  Path dir;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.get();
    applications = df(schema("customer_id string", "application_id string"),
        row("C1", "A1"), row("C2", "A2"));
  }

  static FeatureSource events(String path, Map<String, String> columns) {
    return new FeatureSource("bureau", new InputSpec(Optional.of(path), InputFormat.CSV, columns), Entity.CUSTOMER,
        Kind.EVENTS, List.of(), 0, List.of(30),
        List.of(new Aggregate(Function.COUNT, Optional.empty()), new Aggregate(Function.SUM, Optional.of("amount")),
            new Aggregate(Function.DISTINCT, Optional.of("lender"))), 0.0, Map.of());
  }

  String csv(String text) throws IOException {
    Path f = dir.resolve("source-" + System.nanoTime() + ".csv");
    Files.writeString(f, text);
    return f.toString();
  }

  String rejected(FeatureSource s) {
    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> SourceInput.readAndCheck(spark, s, applications, AS_OF));
    assertEquals(3, e.exitCode(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void countsEveryRowOfAKeyNoApplicationHasNotDistinctKeysAndSkipsNullKeys() {
    // C2 has two applications and is known; C7 (one row) and C8 (three rows) are not; the null key
    // is a not-null violation, never an unmatched row. Repeated keys across partitions must add up.
    Dataset<Row> rows = df(schema("customer_id string", "v int"),
        row("C1", 1), row("C7", 2), row("C8", 3), row("C2", 4), row("C8", 5), row(null, 6), row("C8", 7),
        row("C2", 8)).repartition(3);
    Dataset<Row> apps = df(schema("customer_id string", "application_id string"),
        row("C1", "A1"), row("C2", "A2"), row("C2", "A3"), row("C5", "A5")).repartition(2);
    assertEquals(4L, SourceInput.unmatchedRows(rows, apps, "customer_id").first().getLong(0));
    assertEquals(0L, SourceInput.unmatchedRows(rows.filter("customer_id in ('C1', 'C2')"), apps, "customer_id")
        .first().getLong(0));
  }

  @Test
  void readsMappedColumnsParsesTimesAndCountsUnmatchedAndLaterRows() throws IOException {
    String path = csv("""
        cust,ts,amount,lender
        C1,2025-05-01 10:00:00,10.5,X
        C1,2025-05-02,20,"Pay ""Later""\"
        C9,2025-05-03 00:00:00,1,X
        C2,2025-07-01 00:00:00,1,Y
        """);
    SourceInput.Checked c = SourceInput.readAndCheck(spark,
        events(path, Map.of("customer_id", "cust", "event_time", "ts")), applications, AS_OF);
    assertEquals(Map.of("rows", 4L, "rows_unmatched", 1L, "rows_after_as_of", 1L), c.counts());
    assertEquals(List.of("customer_id", "event_time", "amount", "lender"), List.of(c.rows().columns()));
    Map<String, Row> byLender = byKey(c.rows().filter("customer_id = 'C1'"), "lender");
    // A date-only cell is the last microsecond of its day.
    assertEquals(Timestamp.valueOf("2025-05-02 23:59:59.999999"), byLender.get("Pay \"Later\"").getAs("event_time"));
    assertEquals(20.0, byLender.get("Pay \"Later\"").<Double>getAs("amount"));
    assertEquals(Timestamp.valueOf("2025-05-01 10:00:00"), byLender.get("X").getAs("event_time"));
  }

  @Test
  void everyBadCellIsAViolationWithItsCountAndExampleKeys() throws IOException {
    String path = csv("""
        customer_id,event_time,amount,lender
        C1,2025-05-01 10:00:00,ten,X
        C1,2025-05-02 10:00:00,NaN,X
        C2,2025-13-01,1,X
        ,2025-05-03 00:00:00,1,X
        C2,,1,X
        C2,2025-05-04 00:00:00,1
        C2,2025-05-05 00:00:00,1,X,extra
        """);
    String m = rejected(events(path, Map.of()));
    assertTrue(m.contains("feature_sources.bureau.amount: value does not parse as double (1 row, e.g. C1)"), m);
    assertTrue(m.contains("feature_sources.bureau.amount: finite number (not NaN or Infinity) (1 row, e.g. C1)"), m);
    assertTrue(m.contains("feature_sources.bureau.event_time: value does not parse as timestamp"), m);
    assertTrue(m.contains("feature_sources.bureau.customer_id: not null (1 row"), m);
    assertTrue(m.contains("feature_sources.bureau.event_time: not null (1 row, e.g. C2)"), m);
    assertTrue(m.contains("feature_sources.bureau: field count (the header's number of fields) (2 rows"), m);
  }

  @Test
  void aMissingColumnNamesTheMappingKey() throws IOException {
    String path = csv("customer_id,ts,amount\nC1,2025-05-01 10:00:00,1\n");
    String m = rejected(events(path, Map.of()));
    assertTrue(m.contains("feature_sources.bureau.event_time: missing column (map it with "
        + "feature_sources.bureau.columns.event_time)"), m);
    assertTrue(m.contains("feature_sources.bureau.lender: missing column"), m);
  }

  @Test
  void aSnapshotOrApplicationSourceHasOneRowPerKey() throws IOException {
    String snaps = csv("customer_id,event_time,os\nC1,2025-05-01 10:00:00,ios\nC1,2025-05-01 10:00:00,android\n"
        + "C2,2025-05-01 10:00:00,ios\n");
    FeatureSource device = new FeatureSource("device", new InputSpec(Optional.of(snaps), InputFormat.CSV, Map.of()),
        Entity.CUSTOMER, Kind.SNAPSHOT, List.of("os"), 30, List.of(), List.of(), 0.0, Map.of());
    assertTrue(rejected(device).contains(
        "feature_sources.device.customer_id, event_time: unique (rows sharing a key) (2 rows, e.g. C1)"));
    String declared = csv("application_id,income\nA1,100\nA1,200\nA2,300\nA7,1\n");
    FeatureSource income = new FeatureSource("income", new InputSpec(Optional.of(declared), InputFormat.CSV,
        Map.of()), Entity.APPLICATION, Kind.APPLICATION, List.of("income"), 0, List.of(), List.of(), 0.0,
        Map.of("income", com.creditrisk.contract.ColumnType.DOUBLE));
    assertTrue(rejected(income).contains(
        "feature_sources.income.application_id: unique (rows sharing a key) (2 rows, e.g. A1)"));
    String ok = csv("application_id,income\nA1,100\nA7,1\n");
    SourceInput.Checked c = SourceInput.readAndCheck(spark, new FeatureSource("income",
        new InputSpec(Optional.of(ok), InputFormat.CSV, Map.of()), Entity.APPLICATION, Kind.APPLICATION,
        List.of("income"), 0, List.of(), List.of(), 0.0, Map.of("income", com.creditrisk.contract.ColumnType.DOUBLE)),
        applications, AS_OF);
    assertEquals(Map.of("rows", 2L, "rows_unmatched", 1L, "rows_after_as_of", 0L), c.counts());
  }

  @Test
  void aColumnWhoseStoredTypeCannotGiveTheDeclaredOneIsAColumnViolation() {
    String path = dir.resolve("device.parquet").toString();
    spark.sql("SELECT 'C1' AS customer_id, TIMESTAMP'2025-05-01 10:00:00' AS event_time, array(1, 2) AS apps, "
        + "true AS rooted").write().parquet(path);
    FeatureSource device = new FeatureSource("device", new InputSpec(Optional.of(path), InputFormat.PARQUET,
        Map.of()), Entity.CUSTOMER, Kind.SNAPSHOT, List.of("apps", "rooted"), 30, List.of(), List.of(), 0.0, Map.of());
    String m = rejected(device);
    assertTrue(m.contains("feature_sources.device.apps: wrong type array<int>, expected a single value"), m);
  }
}
