package com.creditrisk.dataset;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.creditrisk.CsvInputs;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.WarehouseTable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-dataset of June whose model_dataset write fails after another run committed May's rows to
 * loan_performance, between June's two writes (a backfill on one warehouse). The rollback gives
 * June's slice back its rows from before the run and keeps May's commit.
 */
class FailedBuildRollbackTest {
  private static final LocalDate JUNE = LocalDate.of(2025, 6, 30);
  private static final LocalDate MAY = LocalDate.of(2025, 5, 31);
  private static final WarehouseTable LP = WarehouseTable.LOAN_PERFORMANCE;
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  @AfterEach
  void noHook() {
    DatasetWriter.afterCommit = table -> {};
  }

  private CreditRiskConfig conf() {
    return CreditRiskConfig.defaults().with(List.of("warehouse.path=" + dir.resolve("wh").toAbsolutePath()));
  }

  private int build(String... extra) {
    return CreditRisk.execute(BuildDatasetTest.args(dir, new CsvInputs(), JUNE.toString(), extra));
  }

  /** The rows of one as-of date in loan_performance's latest version, every column, by loan_id. */
  private List<String> lpRows(LocalDate asOf) {
    long v = LP.currentVersion(spark, conf()).orElseThrow();
    return text(LP.readAsOf(spark, conf(), v, asOf));
  }

  private static List<String> text(Dataset<Row> rows) {
    return rows.orderBy("loan_id").collectAsList().stream().map(Row::toString).toList();
  }

  /** A file where model_dataset's log folder belongs: the run's second write fails. */
  private void breakModelDataset() throws Exception {
    Path log = dir.resolve("wh/model_dataset/_delta_log");
    if (Files.exists(log)) {
      Files.walk(log).sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
    Files.createDirectories(log.getParent());
    Files.writeString(log, "not a folder");
  }

  /**
   * Right after June's loan_performance commit, another run commits May's slice: June's loans as
   * another run of May would write them. Returns May's rows as committed, and June's rows as the
   * failing run wrote them.
   */
  private List<List<String>> anotherRunCommitsMayAfterJunesFirstWrite() {
    List<List<String>> seen = new ArrayList<>();
    DatasetWriter.afterCommit = table -> {
      if (table != LP) {
        return;
      }
      List<String> june = lpRows(JUNE);
      long v = LP.currentVersion(spark, conf()).orElseThrow();
      Dataset<Row> may = LP.readAsOf(spark, conf(), v, JUNE)
          .withColumn("as_of_date", lit(MAY.toString()).cast("date"))
          .withColumn("run_id", lit("2025-05-31-another"));
      // Collected first, so the write does not read the table it writes.
      Dataset<Row> mayRows = spark.createDataFrame(may.collectAsList(), may.schema());
      LP.replaceRun(spark, conf(), mayRows, MAY, null);
      seen.add(lpRows(MAY));
      seen.add(june);
    };
    return seen;
  }

  @Test
  void aFirstRunThatFailsLeavesNoRowsOfItsDateAndKeepsAnotherDatesCommit() throws Exception {
    breakModelDataset();
    List<List<String>> seen = anotherRunCommitsMayAfterJunesFirstWrite();

    assertEquals(1, build());

    List<String> may = seen.get(0);
    assertEquals(3, may.size(), "the other run committed May's three loans");
    assertEquals(may, lpRows(MAY), "May's commit, made after June's write, is intact");
    assertEquals(List.of(), lpRows(JUNE), "the failed run's June rows are gone");
  }

  @Test
  void aRerunThatFailsGetsBackThePreviousRowsOfItsDateAndKeepsAnotherDatesCommit() throws Exception {
    assertEquals(0, build());
    List<String> previous = lpRows(JUNE);
    breakModelDataset();
    List<List<String>> seen = anotherRunCommitsMayAfterJunesFirstWrite();

    // Another config: the failing run's rows carry another run_id, so they differ row by row.
    assertEquals(1, build("--set", "label.bad_dpd=1"));

    assertNotEquals(previous, seen.get(1), "the failing run had replaced June's rows");
    assertEquals(previous, lpRows(JUNE), "June holds the previous run's rows again, row by row");
    assertEquals(3, seen.get(0).size());
    assertEquals(seen.get(0), lpRows(MAY), "May's commit, made after June's write, is intact");
  }
}
