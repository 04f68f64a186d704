package com.creditrisk.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs writing one warehouse table at once, as an Airflow backfill does. The overlap is forced,
 * not hoped for: the first writer's rows are computed inside its Delta transaction and wait there
 * until the second writer has committed, so the first commit always meets a concurrent one (without
 * the retry it fails with ConcurrentAppendException). The table is partitioned by application
 * month like model_dataset, so Delta cannot see that two as-of dates' slices are disjoint.
 */
class ConcurrentWritesTest {
  private static SparkSession spark;
  // Static: the rows' function runs in local executor threads of this JVM.
  private static volatile CountDownLatch firstWriterInside;
  private static volatile CountDownLatch secondWriterCommitted;

  @TempDir Path dir;

  @BeforeAll
  static void spark() {
    spark = TestSpark.get();
  }

  /** Rows of one as-of date, one per id, in two application months. */
  private static Dataset<Row> rows(String asOf, int n, boolean waitForTheOtherWriter) {
    UserDefinedFunction gate = udf((UDF1<Long, Long>) id -> {
      if (waitForTheOtherWriter) {
        firstWriterInside.countDown();
        if (!secondWriterCommitted.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the second writer never committed");
        }
      }
      return id;
    }, DataTypes.LongType).asNondeterministic();
    return spark.range(0, n, 1, 1).select(gate.apply(col("id")).as("id"),
        lit(asOf).cast("date").as("as_of_date"),
        when(col("id").mod(2).equalTo(0), lit("2025-01"))
            .otherwise(lit("2025-02")).as("application_month"));
  }

  private static String slice(String asOf) {
    return "as_of_date = '" + asOf + "'";
  }

  /** Writes {@code first} on another thread, held inside its transaction while {@code second} commits. */
  private static void overlap(String path, String firstAsOf, int firstRows, String secondAsOf, int secondRows)
      throws Exception {
    firstWriterInside = new CountDownLatch(1);
    secondWriterCommitted = new CountDownLatch(1);
    CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> DeltaTables.replaceRows(spark,
        rows(firstAsOf, firstRows, true), path, slice(firstAsOf), "application_month"));
    try {
      if (!firstWriterInside.await(120, TimeUnit.SECONDS)) {
        first.get();
      }
      DeltaTables.replaceRows(spark, rows(secondAsOf, secondRows, false), path, slice(secondAsOf),
          "application_month");
    } finally {
      secondWriterCommitted.countDown();
    }
    first.get(240, TimeUnit.SECONDS);
  }

  private static List<Long> countsByAsOf(String path, String... asOfs) {
    Dataset<Row> t = spark.read().format("delta").load(path);
    return java.util.Arrays.stream(asOfs)
        .map(d -> t.where(col("as_of_date").equalTo(lit(d).cast("date"))).count()).toList();
  }

  @Test
  void twoRunsOfDifferentAsOfDatesAtOnceBothSucceedWithExactlyTheirOwnRows() throws Exception {
    String path = dir.resolve("model_dataset").toString();
    DeltaTables.replaceRows(spark, rows("2025-03-31", 3, false), path, slice("2025-03-31"), "application_month");

    overlap(path, "2025-06-30", 5, "2025-09-30", 7);

    assertEquals(List.of(3L, 5L, 7L), countsByAsOf(path, "2025-03-31", "2025-06-30", "2025-09-30"));
    assertEquals(15L, spark.read().format("delta").load(path).count(), "no rows of any other date");
    assertEquals(5L, spark.read().format("delta").load(path)
        .where(col("as_of_date").equalTo(lit("2025-06-30").cast("date"))).select("id").distinct().count());
  }

  @Test
  void twoRunsOfTheSameAsOfDateAtOnceLeaveOneCopyOfItsRows() throws Exception {
    String path = dir.resolve("model_dataset").toString();
    DeltaTables.replaceRows(spark, rows("2025-03-31", 3, false), path, slice("2025-03-31"), "application_month");

    overlap(path, "2025-06-30", 5, "2025-06-30", 5);

    assertEquals(List.of(3L, 5L), countsByAsOf(path, "2025-03-31", "2025-06-30"));
  }

  @Test
  void twoFirstWritesRacingToCreateTheTableBothSucceed() throws Exception {
    String path = dir.resolve("loan_performance").toString();

    overlap(path, "2025-06-30", 5, "2025-09-30", 7);

    assertEquals(List.of(5L, 7L), countsByAsOf(path, "2025-06-30", "2025-09-30"));
  }
}
