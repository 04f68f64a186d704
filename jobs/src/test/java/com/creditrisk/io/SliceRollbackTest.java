package com.creditrisk.io;

import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.creditrisk.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed run's rollback undoes only its own slice: what other runs committed to other slices
 * between the run's write and its failure stays. Each case is a run of as-of date 06-30 that wrote
 * its slice, then another run of 09-30 committed, then the first run rolled back.
 */
class SliceRollbackTest {
  private static final String JUNE = "as_of_date = '2025-06-30'";
  private static final String SEPT = "as_of_date = '2025-09-30'";
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void spark() {
    spark = TestSpark.get();
  }

  private static Dataset<Row> rows(Object[]... rows) {
    return df(schema("id string", "as_of_date date", "run_id string"), rows);
  }

  /** Every row of the table's latest version, every column in the table's order, sorted by id. */
  private static List<String> table(String path) {
    return spark.read().format("delta").load(path).orderBy("id").collectAsList().stream().map(Row::toString)
        .toList();
  }

  private long write(Dataset<Row> rows, String path, String slice, String... partitionBy) {
    return DeltaTables.replaceRows(spark, rows, path, slice, partitionBy);
  }

  @Test
  void aRerunsSliceGetsBackItsPreviousRowsAndAnotherDatesLaterCommitStays() {
    String path = dir.resolve("cutoff_curve").toString();
    // Partitioned by as-of date like cutoff_curve: the rollback's rewrite names no partitioning.
    long before = write(rows(row("a", "2025-06-30", "r1"), row("b", "2025-06-30", "r1")), path, JUNE, "as_of_date");
    long failed = write(rows(row("a", "2025-06-30", "r2"), row("c", "2025-06-30", "r2")), path, JUNE, "as_of_date");
    write(rows(row("s", "2025-09-30", "o1")), path, SEPT, "as_of_date");

    DeltaTables.rollback(spark, path, JUNE, Optional.of(before), failed);

    // A restore of version `before` would have lost [s,2025-09-30,o1].
    assertEquals(List.of("[a,2025-06-30,r1]", "[b,2025-06-30,r1]", "[s,2025-09-30,o1]"), table(path));
  }

  @Test
  void aFirstRunsSliceIsDeletedWhenAnotherRunCommittedToTheTableItCreated() {
    String path = dir.resolve("loan_performance").toString();
    long failed = write(rows(row("a", "2025-06-30", "r2")), path, JUNE);
    write(rows(row("s", "2025-09-30", "o1"), row("t", "2025-09-30", "o1")), path, SEPT);

    DeltaTables.rollback(spark, path, JUNE, Optional.empty(), failed);

    assertEquals(List.of("[s,2025-09-30,o1]", "[t,2025-09-30,o1]"), table(path));
  }

  @Test
  void aTableTheRunCreatedIsRemovedWhenNobodyElseCommitted() {
    Path folder = dir.resolve("loan_performance");
    long failed = write(rows(row("a", "2025-06-30", "r2")), folder.toString(), JUNE);

    DeltaTables.rollback(spark, folder.toString(), JUNE, Optional.empty(), failed);

    assertFalse(Files.exists(folder), "the table the failed run created is gone");
  }

  @Test
  void aColumnTheFailedRunAddedStaysWithTheValuesAnotherRunWroteInIt() {
    String path = dir.resolve("model_dataset").toString();
    long before = write(rows(row("a", "2025-06-30", "r1")), path, JUNE);
    var wider = schema("id string", "as_of_date date", "run_id string", "bureau_hits int");
    long failed = write(df(wider, row("a", "2025-06-30", "r2", 4)), path, JUNE);
    write(df(wider, row("s", "2025-09-30", "o1", 7)), path, SEPT);

    DeltaTables.rollback(spark, path, JUNE, Optional.of(before), failed);

    // The restored slice had no bureau_hits before the run: null; the other run's 7 stays.
    assertEquals(List.of("[a,2025-06-30,r1,null]", "[s,2025-09-30,o1,7]"), table(path));
  }
}
