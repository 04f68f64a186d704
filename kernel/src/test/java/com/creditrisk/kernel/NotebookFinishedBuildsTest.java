package com.creditrisk.kernel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.cli.CreditRisk;
import com.creditrisk.contract.InputTable;
import com.creditrisk.errors.CreditRiskException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks read only what a finished build-dataset run vouches for. A warehouse with one
 * finished build (2025-11-30), then two builds killed after their model_dataset commit, before
 * their run record: a rerun of 2025-11-30 (its rows committed a second time) and a first build of
 * a later date, 2025-12-31 (the mature rows of the finished build, dated 2025-12-31). Notebook 01
 * runs cell by cell on the kernel's own evaluator (the cells nbconvert would send it), its
 * parameters set after its first cell as a Jupyter user would edit them.
 */
class NotebookFinishedBuildsTest {
  private static final String FINISHED = "2025-11-30";
  private static final String KILLED = "2025-12-31";
  private static final Path NOTEBOOK = Path.of(System.getProperty("notebooks.dir"), "01-explore-model-dataset.ipynb");

  @TempDir static Path dir;
  private static String warehouse;
  /** Rows of the finished build, and of the killed first build of the later date. */
  private static long finishedRows;
  private static long killedRows;

  @BeforeAll
  static void warehouseWithKilledBuilds() {
    // The test JVM's one session, made small before the jobs and the cells reuse it (getOrCreate):
    // 200 shuffle partitions of a few hundred rows cost minutes on two cores.
    SparkSession.builder().master("local[2]").appName("credit-risk-kernel-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "3").config("spark.default.parallelism", "2")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    String data = dir.resolve("data").toString();
    warehouse = dir.resolve("wh").toString();
    assertEquals(0, CreditRisk.execute("generate", "--customers", "300", "--out", data));
    List<String> args = new ArrayList<>(List.of("build-dataset", "--as-of", FINISHED,
        "--set", "warehouse.path=" + warehouse));
    for (InputTable t : InputTable.values()) {
      args.addAll(List.of("--set", "inputs." + t.tableName() + ".path=" + data + "/" + t.tableName()));
    }
    assertEquals(0, CreditRisk.execute(args.toArray(new String[0])));

    SparkSession spark = Notebook.spark();
    String md = warehouse + "/model_dataset";
    Dataset<Row> finished = spark.read().format("delta").load(md).where(col("as_of_date").equalTo(lit(FINISHED)))
        .cache();
    finishedRows = finished.count();
    Dataset<Row> laterDate = finished.where(col("mature")).withColumn("as_of_date", lit(KILLED).cast("date"));
    killedRows = laterDate.count();
    // What a killed build leaves: a Delta commit of model_dataset, and no run.json that names it.
    finished.write().format("delta").mode("append").save(md);
    laterDate.write().format("delta").mode("append").save(md);
    finished.unpersist();
    assertTrue(killedRows > 0 && killedRows < finishedRows, killedRows + " of " + finishedRows);
    assertEquals(2 * finishedRows, spark.read().format("delta").load(md)
        .where(col("as_of_date").equalTo(lit(FINISHED))).count(), "the killed rerun's rows are in the table");
  }

  @Test
  void theExploreNotebookShowsTheLatestFinishedBuildAndCountsTheDateLeftOut() throws Exception {
    String out = runNotebook("");
    assertTrue(out.contains("model_dataset: 1 as-of date with a finished build-dataset run; 1 left out "
        + "(rows but no finished run) (" + KILLED + ")\n"), out);
    assertTrue(out.contains("model_dataset in " + warehouse + " as of " + FINISHED + ": "
        + String.format(Locale.ROOT, "%,d", finishedRows) + " applications, "), out);
    assertFalse(out.contains(" as of " + KILLED + ": "), out);
  }

  @Test
  void anAsOfDateAskedForIsReadAtItsFinishedVersionWithoutAKilledRerunsRows() throws Exception {
    String out = runNotebook(FINISHED);
    assertTrue(out.contains("model_dataset in " + warehouse + " as of " + FINISHED + ": "
        + String.format(Locale.ROOT, "%,d", finishedRows) + " applications, "), out);
  }

  @Test
  void aDateWithNoFinishedRunIsNotReadAndSaysWhichRunRecordIsMissing() {
    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> Notebook.finishedBuild(warehouse, "model_dataset", KILLED));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().startsWith("Cannot read model_dataset as of " + KILLED + ": a finished build-dataset "
        + "run (runs/" + KILLED + "-*/run.json naming model_dataset) not found at " + warehouse + "/runs"),
        e.getMessage());
  }

  @Test
  void onlyTheTablesBuildDatasetWritesAreReadByItsRunRecords() {
    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> Notebook.finishedBuild(warehouse, "scored_applications", FINISHED));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("build-dataset writes [loan_performance, model_dataset]"), e.getMessage());
  }

  /**
   * Every code cell of notebook 01 in order, with {@code warehouse} and {@code asOf} set after the
   * parameters cell; returns what the cells print, a cell's Dataset value as the kernel shows it.
   */
  private static String runNotebook(String asOf) throws Exception {
    JsonNode nb = new ObjectMapper().readTree(NOTEBOOK.toFile());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    boolean parametersSet = false;
    try (CellEvaluator cells = new CellEvaluator(TestClasspath.get());
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      for (JsonNode cell : nb.path("cells")) {
        if (!"code".equals(cell.path("cell_type").asText())) {
          continue;
        }
        StringBuilder source = new StringBuilder();
        cell.path("source").forEach(line -> source.append(line.asText()));
        Optional<Object> value = cells.eval(source.toString());
        value.filter(v -> v instanceof Dataset<?>).ifPresent(v -> capture.print(
            Tables.render((Dataset<?>) v, SparkJavaKernel.DEFAULT_ROWS).getData(
                org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN)));
        if (!parametersSet) {
          cells.eval("warehouse = \"" + warehouse + "\";\nasOf = \"" + asOf + "\";");
          parametersSet = true;
        }
      }
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    stdout.print(out);
    return out;
  }
}
