package com.creditrisk.dataset;

import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.schema;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig.LabelUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The split rules of DESIGN.md on hand-made and random rows. */
class ModelDatasetSplitTest {
  static final StructType ROWS = schema("application_id string", "customer_id string", "application_month string",
      "label int", "mature boolean");

  @BeforeAll
  static void session() {
    TestSpark.get();
  }

  @Test
  void ootIsTheLatestMonthsThatHoldEligibleRows() {
    assertEquals(List.of("2025-03", "2025-05", "2025-06"),
        ModelDataset.ootMonths(List.of("2025-06", "2024-12", "2025-03", "2025-05", "2025-01"), 3));
    assertEquals(List.of("2025-01"), ModelDataset.ootMonths(List.of("2025-01"), 3));
    assertEquals(List.of(), ModelDataset.ootMonths(List.of("2025-01"), 0));
  }

  @Test
  void onlyMatureLabelledRowsGetASplit() {
    Dataset<Row> rows = df(ROWS,
        Rows.row("A1", "C1", "2025-01", 1, true),
        Rows.row("A2", "C2", "2025-01", 1, false), // early bad: not used by default
        Rows.row("A3", "C3", "2025-01", null, true), // indeterminate
        Rows.row("A4", "C4", "2025-06", 0, true));
    Map<String, Row> out = Rows.byKey(
        ModelDataset.withSplit(rows, List.of("2025-06"), new SplitRules(1, 0.3, 5, LabelUse.MATURE)), "application_id");
    assertTrue(List.of("train", "test").contains(out.get("A1").<String>getAs("split")));
    assertNull(out.get("A2").getAs("split"));
    assertNull(out.get("A3").getAs("split"));
    assertEquals("oot", out.get("A4").getAs("split"));
    Map<String, Row> all = Rows.byKey(
        ModelDataset.withSplit(rows, List.of("2025-06"), new SplitRules(1, 0.3, 5, LabelUse.ALL)), "application_id");
    assertTrue(List.of("train", "test").contains(all.get("A2").<String>getAs("split")));
  }

  @Test
  void repeatBorrowerIsNeverOnBothSidesAndTheFractionHolds() {
    Random r = new Random(3);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      rows.add(new Object[] {"A" + i, "C" + r.nextInt(2500), "2024-0" + (1 + r.nextInt(9)), r.nextInt(2), true});
    }
    Dataset<Row> split = ModelDataset.withSplit(df(ROWS, rows.toArray(Object[][]::new)), List.of(),
        new SplitRules(0, 0.3, 11, LabelUse.MATURE));
    assertEquals(0, split.groupBy("customer_id").agg(countDistinct("split").as("n")).filter(col("n").gt(1)).count());
    double customersInTest = split.filter(col("split").equalTo("test")).select("customer_id").distinct().count()
        / (double) split.select("customer_id").distinct().count();
    assertEquals(0.3, customersInTest, 0.03);
    // The same seed gives the same split; another seed another one.
    Dataset<Row> again = ModelDataset.withSplit(df(ROWS, rows.toArray(Object[][]::new)), List.of(),
        new SplitRules(0, 0.3, 11, LabelUse.MATURE));
    assertEquals(0, split.exceptAll(again).count());
    Dataset<Row> other = ModelDataset.withSplit(df(ROWS, rows.toArray(Object[][]::new)), List.of(),
        new SplitRules(0, 0.3, 12, LabelUse.MATURE));
    assertTrue(split.exceptAll(other).count() > 0);
  }
}
