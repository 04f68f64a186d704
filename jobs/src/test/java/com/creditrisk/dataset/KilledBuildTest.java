package com.creditrisk.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.CsvInputs;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.models.TrainModels;
import com.creditrisk.run.FinishedBuilds;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * build-dataset killed (kill -9: no rollback, no run.json) right after each of its two table
 * commits. The readers of an as-of date (train and score through model_dataset, validate's
 * vintages through loan_performance) go by the latest finished run record of the date, so what
 * the killed run committed is never read.
 */
class KilledBuildTest {
  private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
  private static SparkSession spark;

  /** What kill -9 does to the JVM: nothing of the run's code runs after it, no catch, no rollback. */
  static final class Killed extends Error {
    Killed() {
      super("killed");
    }
  }

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  @AfterEach
  void noKill() {
    DatasetWriter.afterCommit = table -> {};
  }

  private void killAfter(WarehouseTable table) {
    DatasetWriter.afterCommit = t -> {
      if (t == table) {
        throw new Killed();
      }
    };
  }

  private CreditRiskConfig conf(String... extra) {
    return CreditRiskConfig.defaults().with(List.of("warehouse.path=" + dir.resolve("wh").toAbsolutePath()))
        .with(List.of(extra));
  }

  private void build(String... extra) {
    assertEquals(0, CreditRisk.execute(BuildDatasetTest.args(dir, new CsvInputs(), AS_OF.toString(), extra)));
  }

  private void buildKilled(WarehouseTable after, String... extra) {
    killAfter(after);
    assertThrows(Killed.class, () -> CreditRisk.execute(BuildDatasetTest.args(dir, new CsvInputs(),
        AS_OF.toString(), extra)));
    noKill();
  }

  /** The run_id of every row of the as-of date that a reader of {@code table} sees. */
  private List<String> runIdsReaders(WarehouseTable table, CreditRiskConfig conf) {
    long v = FinishedBuilds.version(spark, conf, table, AS_OF).orElseThrow();
    return table.readAsOf(spark, conf, v, AS_OF).select("run_id").distinct().collectAsList().stream()
        .map(r -> r.getString(0)).toList();
  }

  /** The run ids of the finished runs: the run folders that hold a run.json. */
  private List<String> finishedRuns() {
    File[] runs = dir.resolve("wh/runs").toFile().listFiles(f -> new File(f, "run.json").isFile());
    return runs == null ? List.of() : Stream.of(runs).map(File::getName).sorted().toList();
  }

  @ParameterizedTest(name = "killed after the {0} commit")
  @EnumSource(value = WarehouseTable.class, names = {"LOAN_PERFORMANCE", "MODEL_DATASET"})
  void aRerunKilledAfterACommitLeavesReadersOnThePreviousFinishedRun(WarehouseTable killedAfter) {
    build();
    CreditRiskConfig conf = conf();
    List<String> finished = finishedRuns();
    assertEquals(1, finished.size());
    long lpFinished = WarehouseTable.LOAN_PERFORMANCE.currentVersion(spark, conf).orElseThrow();
    long mdFinished = WarehouseTable.MODEL_DATASET.currentVersion(spark, conf).orElseThrow();

    // Another config of the same date: its rows carry another run_id, so a reader of them shows it.
    buildKilled(killedAfter, "--set", "label.bad_dpd=1");

    assertEquals(lpFinished + 1, WarehouseTable.LOAN_PERFORMANCE.currentVersion(spark, conf).orElseThrow(),
        "the killed run committed loan_performance");
    assertEquals(killedAfter == WarehouseTable.MODEL_DATASET ? mdFinished + 1 : mdFinished,
        WarehouseTable.MODEL_DATASET.currentVersion(spark, conf).orElseThrow());
    assertEquals(finished, finishedRuns(), "the killed run wrote no run record");
    assertEquals(Optional.of(lpFinished), FinishedBuilds.version(spark, conf, WarehouseTable.LOAN_PERFORMANCE, AS_OF));
    assertEquals(Optional.of(mdFinished), FinishedBuilds.version(spark, conf, WarehouseTable.MODEL_DATASET, AS_OF));
    assertEquals(finished, runIdsReaders(WarehouseTable.LOAN_PERFORMANCE, conf));
    assertEquals(finished, runIdsReaders(WarehouseTable.MODEL_DATASET, conf));

    // The same config run again to the end: its record names the newest versions, readers follow.
    build("--set", "label.bad_dpd=1");
    List<String> both = finishedRuns();
    assertEquals(2, both.size());
    List<String> second = both.stream().filter(r -> !finished.contains(r)).toList();
    assertEquals(second, runIdsReaders(WarehouseTable.MODEL_DATASET, conf));
    assertEquals(second, runIdsReaders(WarehouseTable.LOAN_PERFORMANCE, conf));
  }

  @Test
  void theSameRunIdRerunKilledMidwayLeavesReadersOnItsFinishedVersions() {
    build();
    CreditRiskConfig conf = conf();
    long lpFinished = WarehouseTable.LOAN_PERFORMANCE.currentVersion(spark, conf).orElseThrow();
    long mdFinished = WarehouseTable.MODEL_DATASET.currentVersion(spark, conf).orElseThrow();

    buildKilled(WarehouseTable.MODEL_DATASET);

    assertEquals(mdFinished + 1, WarehouseTable.MODEL_DATASET.currentVersion(spark, conf).orElseThrow());
    assertEquals(Optional.of(lpFinished), FinishedBuilds.version(spark, conf, WarehouseTable.LOAN_PERFORMANCE, AS_OF));
    assertEquals(Optional.of(mdFinished), FinishedBuilds.version(spark, conf, WarehouseTable.MODEL_DATASET, AS_OF));
  }

  @ParameterizedTest(name = "first run killed after the {0} commit")
  @EnumSource(value = WarehouseTable.class, names = {"LOAN_PERFORMANCE", "MODEL_DATASET"})
  void aFirstRunKilledAfterACommitIsNotReadAndTrainExitsThree(WarehouseTable killedAfter) {
    buildKilled(killedAfter);
    CreditRiskConfig conf = conf();
    assertTrue(WarehouseTable.LOAN_PERFORMANCE.currentVersion(spark, conf).isPresent(), "rows were committed");
    assertEquals(Optional.empty(), FinishedBuilds.version(spark, conf, WarehouseTable.MODEL_DATASET, AS_OF));
    assertEquals(Optional.empty(), FinishedBuilds.version(spark, conf, WarehouseTable.LOAN_PERFORMANCE, AS_OF));

    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> TrainModels.run(spark, new TrainModels.Input(conf, AS_OF)));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().startsWith("Cannot train as of 2025-06-30: a finished build-dataset run (runs/"
        + "2025-06-30-*/run.json naming model_dataset) not found at "), e.getMessage());
  }
}
