package com.creditrisk.features;

import static com.creditrisk.Rows.byKey;
import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.schema;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-pass window aggregates of an events source give, for every application, exactly what
 * Spark's own sliding frames give on the same stream (the formulation they replace), on random
 * customers whose rows come in bursts, tie on a key, fall on window boundaries or have no value.
 */
class EventWindowsTest {
  static final long DAY = 86_400L * 1_000_000L;
  static final List<Integer> WINDOWS = List.of(1, 30, 90);
  static final List<Aggregate> AGGREGATES = List.of(new Aggregate(Function.COUNT, Optional.empty()),
      new Aggregate(Function.SUM, Optional.of("amount")), new Aggregate(Function.MIN, Optional.of("amount")),
      new Aggregate(Function.MAX, Optional.of("amount")), new Aggregate(Function.MEAN, Optional.of("amount")),
      new Aggregate(Function.DISTINCT, Optional.of("lender")), new Aggregate(Function.SUM, Optional.of("n")),
      new Aggregate(Function.MAX, Optional.of("n")), new Aggregate(Function.MEAN, Optional.of("n")));

  @BeforeAll
  static void setUp() {
    TestSpark.get();
  }

  /** customer_id, k, __app, amount, lender, n: keys as SourceFeatures builds them (2t, 2s + 1). */
  static Dataset<Row> stream(long seed) {
    Random r = new Random(seed);
    List<Object[]> out = new ArrayList<>();
    long t0 = 1_700_000_000L * 1_000_000L;
    for (int c = 0; c < 60; c++) {
      String cust = "C" + c;
      int apps = r.nextInt(4);
      for (int a = 0; a < apps; a++) {
        long t = t0 + (long) (r.nextDouble() * 400 * DAY);
        out.add(new Object[] {cust, 2 * t, cust + "_A" + a, null, null, null});
        // A burst before the application, rows exactly on its window boundaries, one at its time.
        for (int i = 0; i < r.nextInt(15); i++) {
          out.add(event(r, cust, t - (long) (r.nextDouble() * 10 * DAY)));
        }
        for (int w : WINDOWS) {
          out.add(event(r, cust, t - w * DAY));
          out.add(event(r, cust, t - w * DAY - 1));
        }
        out.add(event(r, cust, t));
        if (a > 0 && r.nextBoolean()) {
          out.add(new Object[] {cust, 2 * t, cust + "_B" + a, null, null, null}); // same time as another
        }
      }
      for (int i = 0; i < r.nextInt(20); i++) {
        long s = t0 + (long) (r.nextDouble() * 400 * DAY);
        out.add(event(r, cust, s));
        if (r.nextInt(5) == 0) {
          out.add(event(r, cust, s)); // two rows of the same time
        }
      }
    }
    return df(schema("customer_id string", "k long", "__app string", "amount double", "lender string", "n int"),
        out.toArray(Object[][]::new));
  }

  static Object[] event(Random r, String cust, long s) {
    return new Object[] {cust, 2 * s + 1, null, r.nextInt(6) == 0 ? null : Math.round(r.nextGaussian() * 1e5) / 100.0,
        r.nextInt(6) == 0 ? null : "L" + r.nextInt(5), r.nextInt(6) == 0 ? null : r.nextInt(1000) - 500};
  }

  /** Spark's sliding frames over the same stream: the formulation EventWindows replaced. */
  static Dataset<Row> byFrames(Dataset<Row> stream) {
    WindowSpec byTime = Window.partitionBy("customer_id").orderBy("k");
    WindowSpec upToNow = byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec whole = byTime.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column isRow = when(col("__app").isNull(), lit(1));
    List<Column> framed = new ArrayList<>(List.of(col("__app"), col("k"),
        last(when(col("__app").isNull(), col("k")), true).over(upToNow).as("__last_k"),
        count(isRow).over(upToNow).as("__rows_before"), count(isRow).over(whole).as("__rows_of_customer")));
    for (int w : WINDOWS) {
      WindowSpec window = byTime.rangeBetween(-(2 * w * DAY), 0);
      for (Aggregate a : AGGREGATES) {
        Column v = a.column().map(c -> col(c)).orElse(null);
        Column f = switch (a.function()) {
          case COUNT -> count(isRow).over(window);
          case SUM -> coalesce(sum(v).over(window), lit(0));
          case MIN -> min(v).over(window);
          case MAX -> max(v).over(window);
          case MEAN -> avg(v).over(window);
          case DISTINCT -> size(collect_set(v).over(window));
        };
        framed.add(f.as("__" + a.featureName(w)));
      }
    }
    return stream.select(framed.toArray(new Column[0])).filter(col("__app").isNotNull());
  }

  @Test
  void everyApplicationGetsExactlyWhatSparksSlidingFramesGive() {
    Dataset<Row> s = stream(7);
    Dataset<Row> ours = EventWindows.look(s, WINDOWS, AGGREGATES, DAY);
    Dataset<Row> frames = byFrames(s);
    assertEquals(List.of(frames.schema().fieldNames()), List.of(ours.schema().fieldNames()));
    for (int i = 0; i < ours.schema().size(); i++) {
      assertEquals(frames.schema().fields()[i].dataType(), ours.schema().fields()[i].dataType(),
          ours.schema().fields()[i].name());
    }
    Map<String, Row> expected = byKey(frames, "__app");
    Map<String, Row> actual = byKey(ours, "__app");
    assertEquals(expected.keySet(), actual.keySet());
    assertTrue(expected.size() > 60, "the comparison needs applications: " + expected.size());
    int nonEmpty = 0;
    for (Map.Entry<String, Row> e : expected.entrySet()) {
      // Exact equality, doubles included: the sums add the same values in the same order.
      assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
      nonEmpty += e.getValue().<Long>getAs("__count_1d") > 0 ? 1 : 0;
    }
    assertTrue(nonEmpty > 20, "the comparison needs applications with rows in the shortest window: " + nonEmpty);
  }

  @Test
  void anEventsSourceIsComputedWithoutAWindowOperator() {
    String plan = SourceFeatures.compute(SourceFeaturesPropertyTest.EVENTS_SOURCE,
        SourceFeaturesPropertyTest.timestamps(new SourceFeaturesPropertyTest.History(1).rows),
        df(SourceFeaturesPropertyTest.APPS), SourceFeaturesPropertyTest.AS_OF).queryExecution().optimizedPlan().toString();
    assertFalse(plan.contains("Window"), plan);
    assertTrue(plan.contains("MapGroups"), plan);
  }
}
