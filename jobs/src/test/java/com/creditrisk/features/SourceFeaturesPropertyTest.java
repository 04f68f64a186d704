package com.creditrisk.features;

import static com.creditrisk.Rows.byKey;
import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.FeatureSource;
import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Function;
import com.creditrisk.config.FeatureSource.Kind;
import com.creditrisk.config.InputFormat;
import com.creditrisk.config.InputSpec;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * The look-ahead property for every kind of feature source, on random histories: rows dated after
 * the as-of date change nothing, and rows at or after an application's time change none of that
 * application's features (its missing reason may turn from no_history into only_after_application,
 * a diagnostic that says such rows exist).
 */
class SourceFeaturesPropertyTest {
  static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
  static final LocalDateTime START = LocalDateTime.parse("2024-01-01T00:00:00");
  static final InputSpec NOWHERE = new InputSpec(Optional.empty(), InputFormat.DELTA, Map.of());
  static final StructType APPS = schema("application_id string", "customer_id string", "application_time timestamp");
  static final StructType EVENTS = schema("customer_id string", "event_time timestamp", "amount double",
      "lender string");
  static final StructType DATED = schema("customer_id string", "event_time date", "amount double", "lender string");
  static final List<Aggregate> AGGREGATES = List.of(new Aggregate(Function.COUNT, Optional.empty()),
      new Aggregate(Function.SUM, Optional.of("amount")), new Aggregate(Function.MIN, Optional.of("amount")),
      new Aggregate(Function.MAX, Optional.of("amount")), new Aggregate(Function.MEAN, Optional.of("amount")),
      new Aggregate(Function.DISTINCT, Optional.of("lender")));
  static final FeatureSource EVENTS_SOURCE = new FeatureSource("ev", NOWHERE, Entity.CUSTOMER, Kind.EVENTS,
      List.of(), 0, List.of(1, 30, 90), AGGREGATES, 0.0, Map.of());
  static final FeatureSource SNAPSHOT_SOURCE = new FeatureSource("sn", NOWHERE, Entity.CUSTOMER, Kind.SNAPSHOT,
      List.of("amount", "lender"), 60, List.of(), List.of(), 0.0, Map.of());
  static final FeatureSource APPLICATION_SOURCE = new FeatureSource("ap", NOWHERE, Entity.APPLICATION,
      Kind.APPLICATION, List.of("amount"), 0, List.of(), List.of(), 0.0, Map.of());

  @BeforeAll
  static void setUp() {
    TestSpark.get();
  }

  /** A random history of 40 customers; {@code probes} is each customer's first application. */
  static final class History {
    final Random r;
    final List<Object[]> apps = new ArrayList<>();
    final List<Object[]> rows = new ArrayList<>();
    final Map<String, LocalDateTime> probeTime = new HashMap<>();
    final Map<String, String> probeCustomer = new HashMap<>();

    History(long seed) {
      r = new Random(seed);
      for (int c = 0; c < 40; c++) {
        String cust = "C" + c;
        Set<LocalDateTime> used = new HashSet<>();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
          // Whole days now and then, so that rows fall on window boundaries and application days.
          LocalDateTime t = START.plusMinutes(r.nextInt(3) == 0 ? r.nextInt(540) * 1440L : r.nextInt(540 * 1440));
          if (used.add(t)) {
            rows.add(row(cust, t));
          }
        }
        LocalDateTime first = null;
        for (int a = 0; a < 1 + r.nextInt(3); a++) {
          LocalDateTime t = !used.isEmpty() && r.nextInt(5) == 0
              ? used.iterator().next() // at exactly a row's time
              : START.plusMinutes(r.nextInt(540 * 1440));
          String app = "A" + c + "_" + a;
          apps.add(new Object[] {app, cust, Timestamp.valueOf(t)});
          if (first == null || t.isBefore(first)) {
            first = t;
            probeTime.put(cust, t);
            probeCustomer.put(cust, app);
          }
        }
      }
    }

    Object[] row(String cust, LocalDateTime t) {
      return new Object[] {cust, t, r.nextInt(7) == 0 ? null : Math.round(r.nextDouble() * 1e6) / 100.0,
          "L" + r.nextInt(4)};
    }

    /** The rows plus, for each customer, rows at and after its probe application and after the as-of date. */
    List<Object[]> withLaterRows() {
      List<Object[]> out = new ArrayList<>(rows);
      Set<String> taken = new HashSet<>();
      rows.forEach(x -> taken.add(x[0] + "@" + x[1]));
      for (Map.Entry<String, LocalDateTime> e : probeTime.entrySet()) {
        LocalDateTime t = e.getValue();
        List<LocalDateTime> later = List.of(t, t.plusNanos(1000), t.plusMinutes(1 + r.nextInt(3000)),
            t.plusDays(r.nextInt(40)), AS_OF.plusDays(1).atStartOfDay(), AS_OF.plusDays(1 + r.nextInt(90)).atTime(13, 0));
        for (LocalDateTime l : later) {
          // (customer, time) stays unique, as the snapshot kind requires.
          if (taken.add(e.getKey() + "@" + l)) {
            out.add(row(e.getKey(), l));
          }
        }
      }
      return out;
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {5})
  void rowsAfterTheAsOfDateChangeNoFeatureNorMissingReasonOfAnyApplication(long seed) {
    History h = new History(seed);
    Dataset<Row> apps = df(APPS, h.apps.toArray(Object[][]::new));
    List<Object[]> later = new ArrayList<>(h.rows);
    for (int c = 0; c < 40; c += 2) {
      later.add(h.row("C" + c, AS_OF.plusDays(1).atStartOfDay()));
      later.add(h.row("C" + c, AS_OF.plusDays(1 + h.r.nextInt(300)).atTime(9, 30)));
    }
    for (FeatureSource source : List.of(EVENTS_SOURCE, SNAPSHOT_SOURCE)) {
      assertEquals(byKey(SourceFeatures.compute(source, timestamps(h.rows), apps, AS_OF), "application_id"),
          byKey(SourceFeatures.compute(source, timestamps(later), apps, AS_OF), "application_id"));
    }
    assertEquals(byKey(SourceFeatures.compute(EVENTS_SOURCE, dates(h.rows), apps, AS_OF), "application_id"),
        byKey(SourceFeatures.compute(EVENTS_SOURCE, dates(later), apps, AS_OF), "application_id"));
  }

  static Dataset<Row> timestamps(List<Object[]> rows) {
    return df(EVENTS, rows.stream().map(x -> new Object[] {x[0], Timestamp.valueOf((LocalDateTime) x[1]), x[2], x[3]})
        .toArray(Object[][]::new));
  }

  static Dataset<Row> dates(List<Object[]> rows) {
    return df(DATED, rows.stream()
        .map(x -> new Object[] {x[0], Date.valueOf(((LocalDateTime) x[1]).toLocalDate()), x[2], x[3]})
        .toArray(Object[][]::new));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void rowsAfterTheAsOfDateOrTheApplicationChangeNothingOfIt(long seed) {
    History h = new History(seed);
    Dataset<Row> apps = df(APPS, h.apps.toArray(Object[][]::new));
    List<Object[]> later = h.withLaterRows();
    assertTrue(later.size() > h.rows.size() + 100, "the property needs rows to add");

    compare(h, SourceFeatures.compute(EVENTS_SOURCE, timestamps(h.rows), apps, AS_OF),
        SourceFeatures.compute(EVENTS_SOURCE, timestamps(later), apps, AS_OF), EVENTS_SOURCE);
    compare(h, SourceFeatures.compute(SNAPSHOT_SOURCE, timestamps(h.rows), apps, AS_OF),
        SourceFeatures.compute(SNAPSHOT_SOURCE, timestamps(later), apps, AS_OF), SNAPSHOT_SOURCE);
    // Dated rows: a day can hold several rows, so the snapshot kind (unique per day) is not used here.
    compare(h, SourceFeatures.compute(EVENTS_SOURCE, dates(h.rows), apps, AS_OF),
        SourceFeatures.compute(EVENTS_SOURCE, dates(later), apps, AS_OF), EVENTS_SOURCE);
  }

  private static void compare(History h, Dataset<Row> before, Dataset<Row> after, FeatureSource source) {
    Map<String, Row> b = byKey(before, "application_id");
    Map<String, Row> a = byKey(after, "application_id");
    assertEquals(h.apps.size(), b.size());
    assertEquals(h.apps.size(), a.size());
    String reason = source.missingReasonColumn();
    int withData = 0;
    for (String app : h.probeCustomer.values()) {
      Row x = b.get(app);
      Row y = a.get(app);
      for (String f : SourceFeatures.featureColumns(source)) {
        if (f.equals(reason)) {
          Object was = x.getAs(f);
          Object is = y.getAs(f);
          assertTrue(java.util.Objects.equals(was, is)
              || ("no_history".equals(was) && "only_after_application".equals(is)),
              app + " " + f + ": " + was + " -> " + is);
        } else {
          assertEquals((Object) x.getAs(f), y.getAs(f), app + " " + f);
        }
      }
      withData += x.getAs(reason) == null ? 1 : 0;
    }
    assertTrue(withData > 3, "the property needs probes with data: " + withData);
  }

  @ParameterizedTest
  @ValueSource(longs = {4})
  void anApplicationSourceGivesOneRowPerApplicationWhateverItsOtherKeys(long seed) {
    History h = new History(seed);
    Dataset<Row> apps = df(APPS, h.apps.toArray(Object[][]::new));
    List<Object[]> declared = new ArrayList<>();
    for (int i = 0; i < h.apps.size(); i += 2) {
      declared.add(new Object[] {h.apps.get(i)[0], (double) i});
    }
    declared.add(new Object[] {"no such application", 1.0});
    Map<String, Row> out = byKey(SourceFeatures.compute(APPLICATION_SOURCE,
        df(schema("application_id string", "amount double"), declared.toArray(Object[][]::new)), apps, AS_OF),
        "application_id");
    assertEquals(h.apps.size(), out.size());
    for (int i = 0; i < h.apps.size(); i++) {
      Row r = out.get((String) h.apps.get(i)[0]);
      assertEquals(i % 2 == 0 ? (Object) (double) i : null, r.getAs("ap__amount"));
      assertEquals(i % 2 == 0 ? null : "no_history", r.getAs("ap__missing_reason"));
    }
  }
}
