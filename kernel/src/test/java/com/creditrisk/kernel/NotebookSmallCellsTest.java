package com.creditrisk.kernel;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The notebooks' printed aggregates obey the reports' small-cell rule (bundled default
 * privacy.min_cell_count = 10): a month of 3 loans among months of 50.
 */
class NotebookSmallCellsTest {
  private static final StructType MONTHS = new StructType().add("month", "string").add("loans", "long")
      .add("bad_rate", "double");

  @Test
  void aRowOfFewerLoansThanTheMinimumKeepsOnlyItsKeyAndSaysSuppressed() {
    Dataset<Row> byMonth = Notebook.spark().createDataFrame(List.of(RowFactory.create("2025-01", 50L, 0.12),
        RowFactory.create("2025-02", 3L, 0.6667)), MONTHS);
    List<Row> rows = Notebook.smallCells(byMonth, "loans", "month").orderBy("month").collectAsList();
    assertEquals(RowFactory.create("2025-01", 50L, 0.12, null), rows.get(0));
    assertEquals(RowFactory.create("2025-02", null, null, "suppressed (n < 10)"), rows.get(1));
  }

  /** 12 loans of model a in grade 1 (4 bad), 3 of model b in grade 1 (all bad). */
  @Test
  void aPivotCellOfFewerRowsThanTheMinimumIsBlank() {
    StructType loans = new StructType().add("model", "string").add("risk_grade", "int").add("label", "int");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(RowFactory.create("a", 1, i < 4 ? 1 : 0));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(RowFactory.create("b", 1, 1));
    }
    Row grade = Notebook.spark().createDataFrame(rows, loans).groupBy("risk_grade")
        .pivot("model", List.<Object>of("a", "b")).agg(Notebook.shown(count(lit(1)), avg(col("label"))))
        .first();
    assertEquals(4 / 12.0, grade.getDouble(1), 1e-12);
    assertNull(grade.get(2));
  }
}
